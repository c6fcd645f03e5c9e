"""A realistic season to explore the service with: `recruitment demo`.

Three growers, the SNE offices that refer their workers, contractors taken from the DOL registry,
a few hundred workers whose cases run from clean to every kind of violation the rules know, and
contracts in Spanish, Haitian Creole and English. Everything goes through the services, as a
grower or staff would write it, and the same seed always gives the same season.
"""

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any
from uuid import UUID

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from stdnum.mx import curp as curp_number

from recruitment import clock
from recruitment.domain.terms import JobOrderTerms
from recruitment.errors import Conflict
from recruitment.models import Grower
from recruitment.rendering import ContractRenderer
from recruitment.schemas.contracts import ContractIssue, DeliveryCreate
from recruitment.schemas.growers import GrowerCreate
from recruitment.schemas.intermediaries import (
    IntermediaryCreate,
    IntermediaryRead,
    IntermediaryVerificationCreate,
)
from recruitment.schemas.job_orders import JobOrderCreate
from recruitment.schemas.recruitments import (
    ChannelVerificationCreate,
    CostCreate,
    HireCreate,
    ReimbursementCreate,
)
from recruitment.services import (
    access,
    contracts,
    costs,
    growers,
    hires,
    intermediaries,
    job_orders,
    recruitments,
    reference_lists,
)
from recruitment.services.caller import COMMAND_LINE, Caller
from recruitment.services.contracts import Publication


class DemoAlreadyLoaded(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "The demo season is already in this database. Explore it with `recruitment serve`, "
            "or load it again into a new data directory, e.g. "
            "`RECRUITMENT_DATA_DIR=/tmp/recruitment-demo recruitment demo`, then serve with the "
            "same RECRUITMENT_DATA_DIR."
        )


SEASON_START = date(2025, 3, 3)
# A deduction 20 CFR 655.122(p) allows: H-2A wages are exempt from FICA (26 USC 3121(b)(1)), and
# income tax is withheld only when the worker asks for it.
LAWFUL_DEDUCTION = {
    "description": "Federal income tax withholding, only if the worker asks for it in writing",
    "basis": "IRS Form W-4 filed by the worker",
}
SEASON_END = date(2025, 11, 28)
GIVEN = ["Juan", "José", "Luis", "Miguel", "Pedro", "Jesús", "Francisco", "Alejandro", "Ramón"]
FAMILY = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Cruz"]
HAITIAN_GIVEN = ["Jean", "Wilner", "Frantz", "Ronald", "Jocelyn"]
HAITIAN_FAMILY = ["Pierre", "Joseph", "Charles", "Baptiste", "Louis"]
# Shares of the season's cases, by what went wrong (the rest are clean).
TROUBLES = [
    ("clean", 0.45),
    ("sne_unverified", 0.12),
    ("fee", 0.08),
    ("layers", 0.06),
    ("overdue_visa", 0.10),
    ("not_direct", 0.05),
    ("late_contract", 0.07),
    ("wrong_language", 0.07),
]


@dataclass
class DemoSeason:
    growers: list[UUID] = field(default_factory=list)
    workers: int = 0
    contracts: int = 0
    staff_key: str = ""
    grower_key: str = ""
    worker_link: str = ""
    troubles: dict[str, int] = field(default_factory=dict)


# The grower's texts in the languages the demo's contracts are issued in.
_TRANSLATIONS = {
    "es": {
        "job_title": "Trabajador agrícola, cosecha de hortalizas",
        "duties": "Cosechar tomate y chile a mano en cubetas; llevarlas al remolque.",
        "crops_activities": ["tomate", "chile"],
        "daily_schedule": "De 7:00 a 15:30, de lunes a viernes",
        "daily_transportation": "Autobús de la empresa de la vivienda a los campos, gratis",
        "piece_rates": [{"crop_or_activity": "tomate", "unit": "cubeta (32 lb)"}],
        "deductions": [{"description": "FICA", "basis": "7.65 % del salario bruto"}],
    },
    "ht": {
        "job_title": "Travayè agrikòl, rekòt legim",
        "duties": "Ranmase tomat ak piman ak men nan bokit; pote yo nan trelè a.",
        "crops_activities": ["tomat", "piman"],
        "daily_schedule": "Soti 7:00 rive 15:30, lendi rive vandredi",
        "daily_transportation": "Bis konpayi an soti nan lojman an rive nan jaden yo, gratis",
        "piece_rates": [{"crop_or_activity": "tomat", "unit": "bokit (32 liv)"}],
        "deductions": [{"description": "FICA", "basis": "7,65 % salè brit la"}],
    },
}


def _terms(number: str, state: str, wage_cents: int, **overrides: Any) -> JobOrderTerms:
    return JobOrderTerms.model_validate(
        {
            "case_number": f"H-300-25{number}",
            "job_order_number": number,
            "soc_code": "45-2092",
            "job_title": "Farmworker, vegetable harvest",
            "duties": "Hand-harvest tomatoes and peppers into buckets; carry them to the trailer.",
            "crops_activities": ["tomatoes", "peppers"],
            "worksites": [
                {
                    "name": "Field 7",
                    "address": "County Road 846",
                    "city": "Immokalee",
                    "state": state,
                    "county": "Collier",
                }
            ],
            "period_start": SEASON_START.isoformat(),
            "period_end": SEASON_END.isoformat(),
            "hours_per_week": 40,
            "hours_per_day": 8,
            "daily_schedule": "7:00 to 15:30, Monday to Friday",
            "wage_offer": {"amount": wage_cents, "currency": "USD"},
            "wage_unit": "hour",
            "piece_rates": [
                {
                    "crop_or_activity": "tomatoes",
                    "unit": "bucket (32 lb)",
                    "rate": {"amount": 65, "currency": "USD"},
                }
            ],
            "pay_frequency": "weekly",
            "deductions": [LAWFUL_DEDUCTION],
            "housing": {
                "type": "employer_owned",
                "address": "200 Camp Road",
                "city": "Immokalee",
                "state": state,
                "postal_code": "34142",
                "capacity": 120,
            },
            "meals": {"arrangement": "kitchen"},
            "daily_transportation": "Company bus from housing to the fields, free of charge",
            "travel": {"subsistence_per_day": {"amount": 1546, "currency": "USD"}},
            "tools_at_no_cost": True,
            "workers_compensation": {"carrier": "Farm Mutual", "policy_number": f"WC-{number}"},
            "complaint_line": "+1 (855) 555-0142",
            "employer_phone": "+1 (239) 555-0100",
            "translations": _TRANSLATIONS,
            **overrides,
        }
    )


def _curp(rng: random.Random, born: date) -> str:
    consonants = "BCDFGHJKLMNPRSTVZ"
    inner = "".join(rng.choice(consonants) for _ in range(3))
    state = rng.choice(["DF", "MC", "MN", "GT", "VZ"])
    body = f"{rng.choice('GHLMPR')}{rng.choice('AEIOU')}{inner[:2]}{born:%y%m%d}H{state}{inner}0"
    return body + curp_number.calc_check_digit(body)


def _worker(rng: random.Random, number: int, haitian: bool) -> dict[str, Any]:
    born = date(1975, 1, 1) + timedelta(days=rng.randrange(365 * 25))
    if haitian:
        return {
            "given_names": rng.choice(HAITIAN_GIVEN),
            "family_names": rng.choice(HAITIAN_FAMILY),
            "date_of_birth": born,
            "nationality": "HT",
            "passport_number": f"HT{number:07d}",
            "preferred_language": "ht",
        }
    return {
        "given_names": rng.choice(GIVEN),
        "family_names": f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}",
        "date_of_birth": born,
        "nationality": "MX",
        "curp": _curp(rng, born),
        "preferred_language": "es",
    }


def _cost(category: str, amount: int, currency: str, paid_on: date, **more: Any) -> CostCreate:
    return CostCreate.model_validate(
        {
            "category": category,
            "amount": {"amount": amount, "currency": currency},
            "paid_on": paid_on,
            **more,
        }
    )


@dataclass(frozen=True)
class _Cast:
    """Who a season's cases can involve."""

    job_orders: list[UUID]
    offices: list[IntermediaryRead]
    recruiter: UUID
    contractors: list[UUID]


def _hire(
    number: int, trouble: str, haitian: bool, worker: dict[str, Any], cast: _Cast, grower: int
) -> tuple[HireCreate, dict[str, date]]:
    recruited = SEASON_START - timedelta(days=60 + number % 30)
    dates = {
        "recruited": recruited,
        "visa_applied": recruited + timedelta(days=20),
        "arrived": SEASON_START - timedelta(days=2),
    }
    office = cast.offices[number % len(cast.offices)]
    facts: dict[str, Any] = {
        "job_order_id": cast.job_orders[grower],
        "worker": worker,
        "channel": "sne",
        "sne_folio": f"{(office.region or 'SNE')[:3].upper()}-2025-{number:04d}",
        "sne_office_id": office.id,
        "milestones": dates,
        "start_date": SEASON_START,
    }
    not_sne = {"sne_folio": None, "sne_office_id": None}
    first, second, third = cast.contractors
    if haitian:
        facts.update(channel="other", **not_sne)
    if trouble == "fee":
        link = {"intermediary_id": cast.recruiter, "engaged_by": "grower", "written_fee_ban": False}
        facts.update(channel="private_recruiter", chain=[link], **not_sne)
    if trouble == "layers":
        facts.update(channel="private_recruiter", **not_sne)
        facts["chain"] = [
            {
                "intermediary_id": first,
                "engaged_by": "intermediary",
                "engaged_by_intermediary_id": second,
                "written_fee_ban": False,
                "transports_workers": True,
            },
            {"intermediary_id": second, "engaged_by": "grower", "written_fee_ban": True},
        ]
    if trouble == "not_direct":
        facts["employer_of_record"] = {"kind": "intermediary", "id": third}
        facts["chain"] = [
            {"intermediary_id": third, "engaged_by": "grower", "written_fee_ban": True}
        ]
    return HireCreate.model_validate(facts), dates


async def load_demo(
    session: AsyncSession,
    renderer: ContractRenderer,
    publication: Publication,
    *,
    workers: int = 300,
    seed: int = 2025,
    on_worker: Callable[[], None] = lambda: None,
) -> DemoSeason:
    """Load the season; `on_worker` is called as each worker's case is done."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    if (await session.exec(select(Grower.id).where(Grower.fein == FARMS_FEIN[0]))).first():
        raise DemoAlreadyLoaded
    demo = DemoSeason(troubles=dict.fromkeys((name for name, _ in TROUBLES), 0))
    staff = COMMAND_LINE
    with (
        resources.files("recruitment.reference_data")
        .joinpath("flc_registry_sample.csv")
        .open(encoding="utf-8") as registry
    ):
        await reference_lists.import_registry(session, staff, registry, "flc_registry_sample.csv")
    cast = _Cast(
        job_orders=[await _farm(session, demo, index, *farm) for index, farm in enumerate(FARMS)],
        offices=[
            await intermediaries.declare(
                session,
                staff,
                IntermediaryCreate(
                    kind="sne_office", name=f"SNE {city}", country="MX", region=city
                ),
            )
            for city in ("Tlaxcala", "Michoacán - Morelia", "Guanajuato")
        ],
        recruiter=(
            await intermediaries.declare(
                session,
                staff,
                IntermediaryCreate(
                    kind="foreign_recruiter", name="Reclutamiento del Bajío", country="MX"
                ),
            )
        ).id,
        contractors=await _registry_contractors(session),
    )
    names, shares = zip(*TROUBLES, strict=True)
    for number in range(workers):
        trouble = rng.choices(names, shares)[0]
        demo.troubles[trouble] += 1
        grower = number % len(FARMS)
        haitian = number % 11 == 0
        grower_caller = Caller(actor="demo", role="grower", grower_id=demo.growers[grower])
        facts, dates = _hire(number, trouble, haitian, _worker(rng, number, haitian), cast, grower)
        # Staff write the troubled cases too: a grower could not name intermediaries it never
        # declared, and the demo is about what the rules find.
        hire = await hires.register_hire(session, staff, facts)
        demo.workers += 1
        if facts.channel == "sne" and trouble != "sne_unverified":
            await recruitments.verify_channel(
                session,
                staff,
                hire.recruitment_id,
                ChannelVerificationCreate(
                    decision="verified", evidence=f"Referral list, folio {facts.sne_folio}"
                ),
            )
        await _costs(
            session, staff, grower_caller, hire.recruitment_id, trouble, haitian, dates, cast
        )
        if trouble in ("clean", "late_contract", "wrong_language") or number % 10 == 0:
            delivered_on = dates["visa_applied"] + timedelta(
                days=7 if trouble == "late_contract" else -5
            )
            with clock.as_of(delivered_on):
                request = ContractIssue(language="en" if trouble == "wrong_language" else None)
                try:
                    issued = await contracts.issue_contract(
                        session, grower_caller, renderer, publication, hire.worker_id, request
                    )
                except contracts.TermsNeedFixing:
                    # The grower is refused a contract for terms that break the rules; staff
                    # issue it over them, and its verification page says why.
                    issued = await contracts.issue_contract(
                        session, staff, renderer, publication, hire.worker_id,
                        request.model_copy(update={"override_reason": DEMO_OVERRIDE_REASON}),
                    )  # fmt: skip
                await contracts.record_delivery(
                    session,
                    grower_caller,
                    issued.id,
                    DeliveryCreate(method="whatsapp", delivered_on=delivered_on),
                )
            demo.contracts += 1
            demo.worker_link = demo.worker_link or issued.worker_link
        on_worker()
    staff_key = await access.issue_key(
        session, staff, role="staff", grower_id=None, label="demo staff"
    )
    grower_key = await access.issue_key(
        session, staff, role="grower", grower_id=demo.growers[0], label="demo grower"
    )
    demo.staff_key, demo.grower_key = staff_key.key, grower_key.key
    return demo


DEMO_OVERRIDE_REASON = (
    "Demo: the workers travel this week; the grower has agreed in writing to pay the AEWR and "
    "name its insurer, and the corrected terms follow as a new version."
)

FARMS: list[tuple[str, str, int, dict[str, Any]]] = [
    ("Sunshine Farms LLC", "FL", 1700, {}),
    ("Blue Ridge Orchards Inc", "NC", 1650, {}),
    # An offer under the 2025 AEWR, and no workers' compensation stated.
    ("Delta Produce Co", "GA", 1200, {"workers_compensation": None}),
]
FARMS_FEIN = [f"59-{1000001 + index}" for index in range(len(FARMS))]


async def _farm(
    session: AsyncSession,
    demo: DemoSeason,
    index: int,
    name: str,
    state: str,
    wage: int,
    overrides: dict[str, Any],
) -> UUID:
    grower = await growers.create_grower(
        session,
        COMMAND_LINE,
        GrowerCreate(
            legal_name=name,
            fein=FARMS_FEIN[index],
            street=f"{100 + index} Farm Road",
            city="Immokalee",
            state=state,
            postal_code="34142",
        ),
    )
    demo.growers.append(grower.id)
    number = f"{state}-{1001 + index}"
    job_order = await job_orders.create_job_order(
        session,
        COMMAND_LINE,
        JobOrderCreate(grower_id=grower.id, terms=_terms(number, state, wage, **overrides)),
    )
    return job_order.id


async def _costs(
    session: AsyncSession,
    staff: Caller,
    grower: Caller,
    recruitment_id: UUID,
    trouble: str,
    haitian: bool,
    dates: dict[str, date],
    cast: _Cast,
) -> None:
    if trouble == "fee":
        fee = _cost(
            "recruitment_fee", 250000, "MXN", dates["recruited"],
            payee_kind="intermediary", payee_intermediary_id=cast.recruiter,
            reported_by="audit_interview",
        )  # fmt: skip
        await costs.record_cost(session, staff, recruitment_id, fee)
    if trouble not in ("overdue_visa", "clean") or haitian:
        return
    visa = await costs.record_cost(
        session,
        grower,
        recruitment_id,
        _cost(
            "administrative",
            18500,
            "USD",
            dates["visa_applied"],
            purpose="visa",
            payee_kind="consulate",
            payee_name="U.S. Consulate Monterrey",
            reported_by="receipt",
        ),
    )
    if trouble == "clean":
        await costs.record_reimbursement(
            session,
            grower,
            recruitment_id,
            ReimbursementCreate(
                amount=visa.amount, paid_on=dates["arrived"] + timedelta(days=5), cost_ids=[visa.id]
            ),
        )


async def _registry_contractors(session: AsyncSession) -> list[UUID]:
    """Contractors declared from the registry's own records, as a grower would copy them, and
    verified by staff. Their certificates expired long before this season: the rules say so."""
    with (
        resources.files("recruitment.reference_data")
        .joinpath("flc_registry_sample.csv")
        .open(encoding="utf-8") as registry
    ):
        # Without authority to transport workers: the layered cases have them drive anyway.
        picked = [
            row
            for row in csv.DictReader(registry)
            if row["FLC State"] in ("FL", "GA") and row["Transportation Authorization"] == "N"
        ][:3]
    declared_ids = []
    for row in picked:
        declared = await intermediaries.declare(
            session,
            COMMAND_LINE,
            IntermediaryCreate(
                kind="farm_labor_contractor",
                name=row["FLC Business or FLC Individual"],
                country="US",
                region=row["FLC State"],
                certificate_number=row["Cert Num"],
                authorized_to_transport=row["Transportation Authorization"] == "Y",
            ),
        )
        await intermediaries.verify(
            session,
            COMMAND_LINE,
            declared.id,
            IntermediaryVerificationCreate(
                status="verified", note=f"Registry certificate {row['Cert Num']} seen"
            ),
        )
        declared_ids.append(declared.id)
    return declared_ids
