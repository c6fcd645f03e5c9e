"""Time a full re-evaluation of a whole program: N synthetic cases, bulk-loaded, re-verified twice.

    python -m benchmarks.reverify [--cases 100000] [--database-url URL]

Without a URL it starts a throwaway embedded PostgreSQL; with one, it creates a fresh database on
that server and drops it at the end. The cases are loaded with COPY (not through the services), so
that the load takes seconds; then `cases.reevaluate` runs over every case, once with no flags in
the table (they get opened) and once more with nothing changed (the reconcile-only path).
"""

import argparse
import asyncio
import json
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import SQLModel, col, select
from stdnum.mx import curp

from benchmarks.figures import (
    Row,
    StatementCounter,
    Stopwatch,
    Timing,
    in_a_process_of_its_own,
    peak_rss_mib,
)
from benchmarks.scratch import add_database_argument, database_server, scratch_database
from recruitment.database import sessions_for
from recruitment.domain.terms import JobOrderTerms
from recruitment.heap import settle_heap
from recruitment.models import (
    ChainLink,
    Contract,
    ContractDelivery,
    Cost,
    Flag,
    Grower,
    Hire,
    Intermediary,
    JobOrder,
    JobOrderVersion,
    Recruitment,
    RegistryCertificate,
    ReimbursedCost,
    Reimbursement,
    SneReferral,
    SneReferralOutcome,
    Worker,
)
from recruitment.services import cases, reverification
from tests.databases import plain_dsn
from tests.factories import complete_terms

# The day the rules judge deadlines by: early in the season, when the first crews have arrived,
# the next ones are applying for visas and the spring crews are still being recruited.
AS_OF = date(2025, 12, 15)
SEED = 20251215
GROWERS = 40
# Season starts are spread over these months, one grower after another.
FIRST_SEASON_START = date(2025, 10, 1)
LAST_SEASON_START = date(2026, 4, 30)
LOADED_AT = datetime(2025, 12, 14, 23, 0, tzinfo=UTC)
STAFF = "staff@program.example"
# The target: the whole program of 100,000 cases re-verified in under 15 seconds.
TARGET_CASES = 100_000
TARGET_SECONDS = 15.0
# A three-page Spanish contract as recruitment.rendering renders it weighs about 31 kB.
CONTRACT_PDF_BYTES = 30_000

# (state, hourly offer in cents): at or just above the state's 2025 AEWR.
STATE_WAGES = (
    ("FL", 1623),
    ("GA", 1608),
    ("NC", 1616),
    ("MI", 1815),
    ("WA", 1982),
    ("CA", 1997),
    ("NY", 1883),
    ("TX", 1579),
    ("KY", 1587),
    ("SC", 1608),
    ("LA", 1483),
    ("AZ", 1704),
)
CROPS = ("tomatoes", "strawberries", "blueberries", "peppers", "apples", "sweet potatoes")
SNE_REGIONS = ("Tlaxcala", "Puebla", "Guanajuato", "Michoacán", "Hidalgo", "Veracruz", "Oaxaca")
CURP_STATES = ("TL", "PL", "GT", "MN", "HG", "VZ", "OC", "MC", "GR", "SP", "ZS", "DG")
GIVEN_NAMES = ("Juan", "José", "Miguel", "Luis", "Carlos", "Jesús", "Pedro", "Rosa", "María")
FAMILY_NAMES = ("García", "Hernández", "Martínez", "López", "Pérez", "Ramírez", "Cruz", "Gómez")
# Workers by nationality: (nationality, preferred language, share).
NATIONALITIES = (("MX", "es", 0.88), ("GT", "es", 0.06), ("HT", "ht", 0.03), ("JM", "en", 0.03))
CHANNELS = (("sne", 0.70), ("private_recruiter", 0.15), ("grower_direct", 0.09), ("other", 0.06))
# Who a cost is paid to, by purpose (or by category when the purpose is "other").
PAYEES = {
    "recruitment_fee": ("intermediary", None),
    "illegitimate_cost": ("other", "Enganchador"),
    "visa": ("consulate", "Consulado General de EE. UU."),
    "inbound_travel": ("carrier", "Autobuses del Norte"),
}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


class Rows:
    """One table's rows as tuples in its columns' order, ready for COPY.

    The columns come from the model; a value left out is NULL, or for the bookkeeping columns
    every table shares, the load's time and version 1. A misspelt or missing column fails here,
    not halfway through a COPY.
    """

    def __init__(self, model: type[SQLModel]) -> None:
        table = model.__table__  # type: ignore[attr-defined]
        self.name: str = table.name
        self.columns: tuple[str, ...] = tuple(table.columns.keys())
        self.records: list[tuple[Any, ...]] = []
        shared = {"created_at": LOADED_AT, "updated_at": LOADED_AT, "version": 1}
        self._defaults = {column.name: None for column in table.columns if column.nullable} | {
            name: value for name, value in shared.items() if name in self.columns
        }

    def add(self, **values: Any) -> None:
        row = self._defaults | values
        if len(row) != len(self.columns):
            unknown = sorted(row.keys() - set(self.columns))
            missing = sorted(set(self.columns) - row.keys())
            raise ValueError(f"{self.name}: unknown columns {unknown}, missing {missing}")
        self.records.append(tuple(row[column] for column in self.columns))


@dataclass(frozen=True)
class JobOrderPlan:
    grower_id: UUID
    grower_name: str
    job_order_id: UUID
    version: int
    season_start: date
    document: dict[str, Any]  # the parts of a contract's document that every worker shares


@dataclass(frozen=True)
class WorkerPlan:
    id: UUID
    language: str
    name: str  # as the SNE writes it: family names first, in capitals
    curp: str | None
    passport_number: str | None


@dataclass(frozen=True)
class Contractor:
    id: UUID
    kind: str
    name: str


class SyntheticProgram:
    """A season of a program: growers and their job orders, SNE offices, contractors, recruiters,
    and one case per worker (recruitment, chain, costs, reimbursements, hire, contract)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.pdf = self.random.randbytes(CONTRACT_PDF_BYTES)
        # In the order COPY must fill them (foreign keys).
        self.tables = {
            model: Rows(model)
            for model in (
                Grower,
                JobOrder,
                JobOrderVersion,
                Intermediary,
                RegistryCertificate,
                Worker,
                Recruitment,
                ChainLink,
                Cost,
                Reimbursement,
                ReimbursedCost,
                Hire,
                Contract,
                ContractDelivery,
                SneReferral,
                SneReferralOutcome,
            )
        }
        self.curps: set[str] = set()
        self.passports: list[str] = []
        self.serial = 0
        self.sne_offices = [self._sne_office(region, n) for region in SNE_REGIONS for n in (1, 2)]
        self.labor_contractors = [self._labor_contractor(n) for n in range(24)]
        self.recruiters = [self._recruiter("foreign_recruiter", n) for n in range(20)]
        self.agents = [self._recruiter("agent", n) for n in range(12)]
        self.job_orders = [self._grower(n) for n in range(GROWERS)]
        self.job_order_weights = [self.random.uniform(0.5, 2.0) for _ in self.job_orders]

    def _id(self) -> UUID:
        return UUID(int=self.random.getrandbits(128), version=4)

    def _next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def _chance(self, probability: float) -> bool:
        return self.random.random() < probability

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.random.randint(low, high))

    # --- The program's parties -------------------------------------------------------------------

    def _grower(self, n: int) -> JobOrderPlan:
        grower_id, job_order_id = self._id(), self._id()
        state, wage = STATE_WAGES[n % len(STATE_WAGES)]
        spacing = (LAST_SEASON_START - FIRST_SEASON_START) / (GROWERS - 1)
        start = FIRST_SEASON_START + spacing * n
        crop = CROPS[n % len(CROPS)]
        name = f"{_plain(FAMILY_NAMES[n % len(FAMILY_NAMES)]).title()} Farms {n + 1} LLC"
        self.tables[Grower].add(
            id=grower_id,
            legal_name=name,
            fein=f"59-{1_000_000 + n:07d}",
            street=f"{100 + n} Farm Road",
            city="Immokalee",
            state=state,
            postal_code="34142",
            program_status="participating",
            program_status_since=date(2024, 1, 1),
        )
        terms = self._terms(n, state, wage, start, crop)
        # A third of the growers changed their terms once: version 1 stays, version 2 is current.
        version = 2 if n % 3 == 0 else 1
        self.tables[JobOrder].add(id=job_order_id, grower_id=grower_id, current_version=version)
        for number in range(1, version + 1):
            offer = terms if number == version else terms | {"hours_per_week": 35}
            self.tables[JobOrderVersion].add(
                id=self._id(),
                job_order_id=job_order_id,
                number=number,
                terms=json.dumps(offer),
                created_by=f"grower-{n}",
            )
        document = {
            "program": {"name": "Fair Food Program", "complaint_line": "+1 855 000 0000"},
            "grower": {"legal_name": name, "address": f"{100 + n} Farm Road", "state": state},
            "terms": terms,
            "job_order_version": version,
        }
        return JobOrderPlan(grower_id, name, job_order_id, version, start, document)

    def _terms(self, n: int, state: str, wage: int, start: date, crop: str) -> dict[str, Any]:
        """Complete terms (as a grower sends them), except for a few growers: two offer $14.50 an
        hour, one pays by the piece and one leaves out workers' compensation and the hotline."""
        terms = complete_terms(
            case_number=f"H-300-25{n:03d}-{n + 1:06d}",
            job_order_number=f"{state}-{10_000 + n}",
            job_title=f"Farmworker, {crop} harvest",
            duties=f"Harvest {crop} by hand into buckets and carry them to the trailer.",
            crops_activities=[crop],
            worksites=[{"address": f"{n + 1} Field Rd", "city": "Immokalee", "state": state}],
            period_start=start.isoformat(),
            period_end=(start + timedelta(days=150 + 3 * n)).isoformat(),
            wage_offer={"amount": wage + 5 * (n % 4), "currency": "USD"},
            piece_rates=[
                {
                    "crop_or_activity": crop,
                    "unit": "bucket (32 lb)",
                    "rate": {"amount": 65, "currency": "USD"},
                }
            ],
            housing={
                "type": "employer_owned",
                "address": f"{200 + n} Camp Rd",
                "city": "Immokalee",
                "state": "FL",
                "postal_code": "34142",
                "capacity": 400,
                "at_no_cost": True,
            },
            workers_compensation={"carrier": "Farm Mutual", "policy_number": f"WC-{n:04d}"},
        )
        if n in (7, 23):
            terms["wage_offer"] = {"amount": 1450, "currency": "USD"}
        elif n == 11:
            terms["wage_unit"] = "piece"
        elif n == 31:
            del terms["workers_compensation"], terms["complaint_line"]
        # What the service would store: the terms as JobOrderTerms reads and writes them.
        return JobOrderTerms.model_validate(terms).model_dump(mode="json", exclude_none=True)

    def _sne_office(self, region: str, n: int) -> Contractor:
        office = Contractor(self._id(), "sne_office", f"SNE Oficina {region} {n}")
        self.tables[Intermediary].add(
            id=office.id,
            kind=office.kind,
            name=office.name,
            country="MX",
            region=region,
            authorized_to_house=False,
            authorized_to_transport=False,
            authorized_to_drive=False,
            verification_status="verified",
        )
        return office

    def _labor_contractor(self, n: int) -> Contractor:
        """Farm and H-2A labor contractors: most verified with a current certificate (two thirds
        of them found in the DOL registry); three expired, two not authorized to drive."""
        contractor = Contractor(
            self._id(),
            "h2a_labor_contractor" if n % 3 == 0 else "farm_labor_contractor",
            f"Contractor {n + 1} Harvesting Inc",
        )
        number = f"FLC-{2024_0000 + n}"
        valid_from = date(2024, 3, 1) + timedelta(days=9 * n)
        valid_until = date(2025, 6, 30) if n in (4, 13, 22) else valid_from + timedelta(days=729)
        authorizations = {
            "authorized_to_house": n % 5 == 0,
            "authorized_to_transport": True,
            "authorized_to_drive": n not in (6, 17),
        }
        self.tables[Intermediary].add(
            id=contractor.id,
            kind=contractor.kind,
            name=contractor.name,
            country="US",
            region="FL",
            certificate_number=number,
            certificate_valid_from=valid_from,
            certificate_valid_until=valid_until,
            verification_status="unverified" if n in (2, 9, 19) else "verified",
            **authorizations,
        )
        if n % 3 != 2:
            self.tables[RegistryCertificate].add(
                id=self._id(),
                certificate_number=number,
                holder_name=contractor.name.upper(),
                state="FL",
                valid_from=valid_from,
                valid_until=valid_until,
                source_file="flc_registry_2021.csv",
                **authorizations,
            )
        return contractor

    def _recruiter(self, kind: str, n: int) -> Contractor:
        recruiter = Contractor(self._id(), kind, f"{kind.replace('_', ' ').title()} {n + 1}")
        self.tables[Intermediary].add(
            id=recruiter.id,
            kind=kind,
            name=recruiter.name,
            country="GT" if n % 4 == 0 else "MX",
            authorized_to_house=False,
            authorized_to_transport=False,
            authorized_to_drive=False,
            verification_status="verified" if n % 3 else "unverified",
        )
        return recruiter

    # --- Workers and their cases -----------------------------------------------------------------

    def _curp(self, given: str, family: str, second_family: str, born: date, sex: str) -> str:
        plain, second, first = _plain(family), _plain(second_family), _plain(given)
        vowel = next((c for c in plain[1:] if c in "AEIOU"), "X")
        while True:
            consonants = "".join(self.random.choice("BCDFGHJKLMNPRSTVZ") for _ in range(3))
            homoclave = str(self.random.randint(0, 9)) if born.year < 2000 else "A"
            state = self.random.choice(CURP_STATES)
            body = f"{plain[0]}{vowel}{second[0]}{first[0]}{born:%y%m%d}{sex}{state}{consonants}"
            document = body + homoclave + curp.calc_check_digit(body + homoclave)
            if document not in self.curps:
                self.curps.add(document)
                return document

    def _worker(self) -> WorkerPlan:
        """A worker identified by CURP (Mexicans) or passport; one passport in 500 is also on
        another worker's record (entered under another country)."""
        worker_id = self._id()
        nationality, language = self.random.choices(
            [(n, lang) for n, lang, _ in NATIONALITIES], [share for *_, share in NATIONALITIES]
        )[0]
        given, family, second = (
            self.random.choice(GIVEN_NAMES),
            self.random.choice(FAMILY_NAMES),
            self.random.choice(FAMILY_NAMES),
        )
        born = date(1975, 1, 1) + self._days(0, 10_000)
        identity: dict[str, str] = {}
        if nationality == "MX":
            sex = "M" if given in ("Rosa", "María") else "H"
            identity["curp"] = self._curp(given, family, second, born, sex)
        elif self.passports and self._chance(0.002):
            identity |= {"passport_country": "MX", "passport_number": self.passports.pop()}
        else:
            number = f"P{self._next_serial():08d}"
            self.passports.append(number)
            identity |= {"passport_country": nationality, "passport_number": number}
        self.tables[Worker].add(
            id=worker_id,
            given_names=given,
            family_names=f"{family} {second}",
            date_of_birth=born,
            nationality=nationality,
            preferred_language=language,
            phone=f"+52 55 {self.random.randint(1000_0000, 9999_9999)}",
            **identity,
        )
        return WorkerPlan(
            worker_id,
            language,
            _plain(f"{family} {second} {given}"),
            identity.get("curp"),
            identity.get("passport_number"),
        )

    def _milestones(self, start: date) -> dict[str, date]:
        """The planned path to a season starting on `start`, as recorded by AS_OF: only what has
        happened by then. Three in a hundred withdraw on the way, two in a hundred leave early."""
        recruited = start - self._days(70, 120)
        visa_applied = start - self._days(25, 45)
        path = {
            "recruited_on": recruited,
            "contract_disclosed_on": recruited + self._days(2, 20),
            "visa_applied_on": visa_applied,
            "visa_issued_on": visa_applied + self._days(3, 12),
            "arrived_on": start - self._days(0, 4),
            "hired_on": start,
        }
        if self._chance(0.03):
            withdrawn = recruited + self._days(1, 100)
            path = {k: v for k, v in path.items() if v < withdrawn}
            path["withdrawn_on"] = withdrawn
        elif self._chance(0.02):
            path["departed_early_on"] = start + self._days(10, 100)
        return {k: v for k, v in path.items() if v <= AS_OF}

    def add_case(self) -> None:
        plan = self.random.choices(self.job_orders, self.job_order_weights)[0]
        worker = self._worker()
        recruitment_id = self._id()
        channel = self.random.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        milestones = self._milestones(plan.season_start)
        owners = {
            "recruitment_id": recruitment_id,
            "grower_id": plan.grower_id,
            "worker_id": worker.id,
        }
        sne: dict[str, Any] = {"channel_verification": "unverified"}
        if channel == "sne":
            sne = self._sne_claim(recruitment_id, milestones, worker, plan.grower_name)
        self._contract(owners, plan, worker.language, milestones)
        self.tables[Recruitment].add(
            id=recruitment_id,
            grower_id=plan.grower_id,
            worker_id=worker.id,
            job_order_id=plan.job_order_id,
            channel=channel,
            **sne,
            **milestones,
        )
        recruiter = self._chain(recruitment_id, channel, milestones.get("recruited_on"))
        self._costs(owners, channel, recruiter, milestones)
        if "visa_issued_on" in milestones:
            self._hire(owners, plan)

    def _sne_claim(
        self,
        recruitment_id: UUID,
        milestones: Mapping[str, date],
        worker: WorkerPlan,
        employer: str,
    ) -> dict[str, Any]:
        """Staff have matched most SNE claims against the offices' referral lists; a few lists
        contradict the claim (another employer), and the rest are not checked yet."""
        office = self.random.choice(self.sne_offices)
        folio = f"SNE-{self._next_serial():07d}"
        claim = {"sne_folio": folio, "sne_office_id": office.id}
        matched = self._chance(0.85)
        if not matched and not self._chance(0.1):
            return claim | {"channel_verification": "unverified"}
        referral_id = self._id()
        self.tables[SneReferral].add(
            id=referral_id,
            office=office.name,
            folio=folio,
            curp=worker.curp,
            passport_number=worker.passport_number,
            worker_name=worker.name,
            referred_on=milestones.get("recruited_on"),
            employer=employer if matched else "Another Grower LLC",
            source_file="referrals.csv",
        )
        conflicts = None if matched else json.dumps(["the list names another employer"])
        self.tables[SneReferralOutcome].add(
            id=self._id(),
            recruitment_id=recruitment_id,
            referral_id=referral_id,
            matched=matched,
            conflicts=conflicts,
        )
        return claim | {"channel_verification": "verified" if matched else "unverified"}

    def _link(
        self,
        recruitment_id: UUID,
        position: int,
        member: Contractor,
        engager: Contractor | None,
        fee_ban: bool,
        acted_on: date | None,
    ) -> None:
        contractor = member.kind.endswith("labor_contractor")
        self.tables[ChainLink].add(
            id=self._id(),
            recruitment_id=recruitment_id,
            position=position,
            intermediary_id=member.id,
            engaged_by="intermediary" if engager else "grower",
            engaged_by_intermediary_id=engager.id if engager else None,
            written_fee_ban=fee_ban,
            acted_on=acted_on,
            houses_workers=contractor and self._chance(0.2),
            transports_workers=contractor,
            drives_workers=contractor,
        )

    def _chain(
        self, recruitment_id: UUID, channel: str, recruited: date | None
    ) -> Contractor | None:
        """The intermediaries by channel; returns the one a fee would be paid to, if any.

        SNE: one case in eight uses a labor contractor for transport. Private recruiters: a
        recruiter, who in a third of the cases hires an agent (a layer). Other: an H-2A labor
        contractor, with a recruiter under it in a quarter of the cases.
        """
        acted_on = recruited if self._chance(0.5) else None
        if channel == "sne" and self._chance(0.125):
            contractor = self.random.choice(self.labor_contractors)
            self._link(recruitment_id, 1, contractor, None, True, acted_on)
        elif channel == "private_recruiter":
            recruiter = self.random.choice(self.recruiters)
            self._link(recruitment_id, 1, recruiter, None, self._chance(0.75), acted_on)
            if self._chance(0.35):
                agent = self.random.choice(self.agents)
                self._link(recruitment_id, 2, agent, recruiter, self._chance(0.3), acted_on)
                return agent
            return recruiter
        elif channel == "other":
            contractor = self.random.choice(self.labor_contractors[::3])  # the H-2A ones
            self._link(recruitment_id, 1, contractor, None, self._chance(0.8), acted_on)
            if self._chance(0.25):
                recruiter = self.random.choice(self.recruiters)
                self._link(recruitment_id, 2, recruiter, contractor, self._chance(0.5), acted_on)
                return recruiter
            return contractor
        return None

    def _costs(
        self,
        owners: Mapping[str, UUID],
        channel: str,
        recruiter: Contractor | None,
        milestones: Mapping[str, date],
    ) -> None:
        """A recruitment fee in a fifth of the recruiter cases (and a bribe in one SNE case in a
        hundred); the visa fee paid by a quarter of the workers who applied, the bus fare by a
        fifth of those who arrived. Most come back with the first paychecks, not all."""
        recruited, arrived = milestones.get("recruited_on"), milestones.get("arrived_on")
        visa_applied = milestones.get("visa_applied_on")
        if recruited and recruiter and self._chance(0.2):
            self._cost(owners, "recruitment_fee", "other", 1_200_000, "MXN", recruited, recruiter)
        elif recruited and channel == "sne" and self._chance(0.01):
            self._cost(owners, "illegitimate_cost", "other", 300_000, "MXN", recruited)
        if visa_applied and self._chance(0.25):
            cost_id = self._cost(owners, "administrative", "visa", 18_500, "USD", visa_applied)
            if arrived:
                self._reimbursement(owners, cost_id, 18_500, "USD", arrived)
        if arrived and self._chance(0.2):
            paid_on = arrived - timedelta(days=1)
            fare = 250_000
            cost_id = self._cost(
                owners, "travel_and_lodging", "inbound_travel", fare, "MXN", paid_on
            )
            self._reimbursement(owners, cost_id, fare, "MXN", arrived)

    def _cost(
        self,
        owners: Mapping[str, UUID],
        category: str,
        purpose: str,
        amount: int,
        currency: str,
        paid_on: date,
        payee: Contractor | None = None,
    ) -> UUID:
        cost_id = self._id()
        payee_kind, payee_name = PAYEES[purpose if purpose != "other" else category]
        self.tables[Cost].add(
            id=cost_id,
            **owners,
            category=category,
            purpose=purpose,
            amount=amount,
            currency=currency,
            paid_on=paid_on,
            payee_kind=payee_kind,
            payee_intermediary_id=payee.id if payee else None,
            payee_name=payee_name,
            reported_by=self.random.choice(("worker", "audit_interview", "receipt")),
            recorded_by=STAFF,
            recorded_by_staff=True,
        )
        return cost_id

    def _reimbursement(
        self, owners: Mapping[str, UUID], cost_id: UUID, amount: int, currency: str, arrived: date
    ) -> None:
        """Paid back with the first paycheck (85%), half of it (10%), or not yet."""
        share = self.random.choices((1.0, 0.5, 0.0), (0.85, 0.10, 0.05))[0]
        paid_on = arrived + self._days(4, 10)
        if share == 0 or paid_on > AS_OF:
            return
        reimbursement_id = self._id()
        self.tables[Reimbursement].add(
            id=reimbursement_id,
            **owners,
            amount=int(amount * share),
            currency=currency,
            paid_on=paid_on,
            recorded_by=STAFF,
        )
        self.tables[ReimbursedCost].add(
            id=self._id(), reimbursement_id=reimbursement_id, cost_id=cost_id
        )

    def _hire(self, owners: Mapping[str, UUID], plan: JobOrderPlan) -> None:
        """Registered once the visa is issued; one hire in 25 through a labor contractor."""
        employer = ("grower", plan.grower_id)
        if self._chance(0.04):
            employer = ("intermediary", self.random.choice(self.labor_contractors).id)
        self.tables[Hire].add(
            id=self._id(),
            **owners,
            job_order_id=plan.job_order_id,
            employer_of_record_kind=employer[0],
            employer_of_record_id=employer[1],
            wages_paid_by_kind=employer[0],
            wages_paid_by_id=employer[1],
            start_date=plan.season_start,
        )

    def _contract(
        self,
        owners: Mapping[str, UUID],
        plan: JobOrderPlan,
        language: str,
        milestones: dict[str, date],
    ) -> None:
        """Issued at disclosure, in the worker's language (but for 1 in 25); delivered that day in
        93 cases in 100, after the visa application in 4, not at all in 3. The milestone "contract
        disclosed" is recorded only for the first (so call this before recording the milestones)."""
        issued_on = milestones.get("contract_disclosed_on")
        if issued_on is None:
            return
        contract_id = self._id()
        issued_at = datetime.combine(issued_on, clock_time(15), tzinfo=UTC)
        code = f"C{self._next_serial():09d}"
        self.tables[Contract].add(
            id=contract_id,
            **owners,
            job_order_id=plan.job_order_id,
            job_order_version=plan.version,
            language=language if self._chance(0.96) else "es",
            document=json.dumps(plan.document | {"language": language, "code": code}),
            untranslated_fields="[]",
            pdf=self.pdf,
            sha256=f"{self.random.getrandbits(256):064x}",
            verification_code=code,
            token_digest=self.random.randbytes(32),
            issued_at=issued_at,
            issued_by=STAFF,
        )
        delivery = self.random.choices(("on_time", "late", "never"), (0.93, 0.04, 0.03))[0]
        delivered_on = issued_on
        if delivery != "on_time":
            del milestones["contract_disclosed_on"]
            visa_applied = milestones.get("visa_applied_on")
            if delivery == "never" or visa_applied is None:
                return
            delivered_on = visa_applied + self._days(3, 15)
            if delivered_on > AS_OF:
                return
        self.tables[ContractDelivery].add(
            id=self._id(),
            contract_id=contract_id,
            method=self.random.choice(("in_person", "whatsapp", "paper")),
            delivered_on=delivered_on,
            recorded_by=STAFF,
        )


# --- Loading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    rows: dict[str, int]
    build: Timing
    copy: Timing
    peak_rss_mib: float


async def copy_program(url: str, program: SyntheticProgram) -> None:
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        async with connection.transaction():
            for rows in program.tables.values():
                await connection.copy_records_to_table(
                    rows.name, records=rows.records, columns=rows.columns
                )
        # Fresh statistics, as a live database would have: the planner needs them.
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def load_program(url: str, case_count: int) -> Load:
    """Build and COPY the synthetic program. Runs in a child process, so that the peak RSS of the
    re-evaluations is theirs and not that of a million generated rows."""
    stopwatch = Stopwatch()
    program = SyntheticProgram(SEED)
    for _ in range(case_count):
        program.add_case()
    build = stopwatch.read()
    stopwatch = Stopwatch()
    asyncio.run(copy_program(url, program))
    return Load(
        rows={rows.name: len(rows.records) for rows in program.tables.values()},
        build=build,
        copy=stopwatch.read(),
        peak_rss_mib=peak_rss_mib(),
    )


# --- Timing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    name: str
    timing: Timing
    cases: int
    peak_rss_mib: float
    opened: int | None = None
    changed: int | None = None
    statements: int | None = None


async def reevaluate_everything(
    engine: AsyncEngine, counter: StatementCounter, name: str
) -> tuple[Phase, cases.EvaluationSummary]:
    """One full re-evaluation in one transaction, commit included."""
    before = counter.count
    stopwatch = Stopwatch()
    async with sessions_for(engine)() as session, session.begin():
        summary = await reverification.reevaluate_program(session, as_of=AS_OF)
    phase = Phase(
        name,
        stopwatch.read(),
        summary.cases,
        peak_rss_mib(),
        opened=summary.opened,
        changed=summary.updated + summary.reopened + summary.resolved,
        statements=counter.count - before,
    )
    return phase, summary


async def flagged_cases(engine: AsyncEngine) -> int:
    async with sessions_for(engine)() as session:
        query = select(func.count(func.distinct(col(Flag.recruitment_id))))
        return (await session.exec(query)).one()


@dataclass(frozen=True)
class Reverification:
    cases: int
    load: Load
    opening: Phase  # the first run, over an empty flags table
    unchanged: Phase  # the second, with nothing to change
    flagged: int
    by_code: Mapping[str, int]

    @property
    def target_seconds(self) -> float:
        return TARGET_SECONDS * self.cases / TARGET_CASES

    def table_rows(self) -> list[Row]:
        return [
            Row(
                f"re-verify {self.cases:,} cases, {what}: s",
                phase.timing.seconds,
                2,
                target=f"< {self.target_seconds:g} s",
                met=phase.timing.seconds < self.target_seconds,
            )
            for what, phase in (("flags opened", self.opening), ("no change", self.unchanged))
        ]


async def measure(server_url: str, case_count: int) -> Reverification:
    """Load `case_count` synthetic cases into a scratch database on the server, and re-verify them
    all twice."""
    async with scratch_database(server_url) as url:
        load = await in_a_process_of_its_own(load_program, url, case_count)
        engine = create_async_engine(url)
        # As `recruitment verify` and the job worker do (recruitment.cli.main).
        settle_heap(serving=False)
        try:
            counter = StatementCounter(engine)
            opening, summary = await reevaluate_everything(engine, counter, "re-evaluate (opens)")
            unchanged, _ = await reevaluate_everything(engine, counter, "re-evaluate (no change)")
            flagged = await flagged_cases(engine)
        finally:
            await engine.dispose()
    return Reverification(case_count, load, opening, unchanged, flagged, summary.by_code)


def _cell(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def print_report(figures: Reverification) -> None:
    load, cases_count = figures.load, figures.cases
    phases = [
        Phase("load: build rows", load.build, cases_count, load.peak_rss_mib),
        Phase("load: COPY, ANALYZE", load.copy, cases_count, load.peak_rss_mib),
        figures.opening,
        figures.unchanged,
    ]
    print(f"{cases_count:,} cases as of {AS_OF}; rows loaded:")
    print("  " + ", ".join(f"{name} {count:,}" for name, count in load.rows.items()))
    header = (
        "phase",
        "seconds",
        "CPU s",
        "cases/s",
        "opened",
        "changed",
        "SQL stmts",
        "peak RSS MiB",
    )
    print(f"{header[0]:<24}" + "".join(f"{title:>13}" for title in header[1:]))
    for phase in phases:
        cells = (
            _cell(phase.timing.seconds, 2),
            _cell(phase.timing.cpu_seconds, 2),
            _cell(phase.cases / phase.timing.seconds),
            _cell(phase.opened),
            _cell(phase.changed),
            _cell(phase.statements),
            _cell(phase.peak_rss_mib),
        )
        print(f"{phase.name:<24}" + "".join(f"{cell:>13}" for cell in cells))
    flagged = figures.flagged
    print(f"cases with a flag: {flagged:,} ({flagged / cases_count:.0%}); findings by code:")
    for code, count in sorted(figures.by_code.items(), key=lambda item: -item[1]):
        print(f"  {code:<36}{count:>9,}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cases", type=int, default=TARGET_CASES, help="cases re-verified (%(default)s)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reverify",
        description="Load N synthetic cases and time two full re-evaluations of them.",
    )
    add_arguments(parser)
    add_database_argument(parser)
    arguments = parser.parse_args(argv)
    with database_server(arguments.database_url) as server:
        print_report(asyncio.run(measure(server, arguments.cases)))


if __name__ == "__main__":
    main()
