"""Small builders of records, written through the services as a user would write them."""

import itertools
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession
from stdnum.us import ein

from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import Role
from recruitment.schemas.growers import GrowerCreate, GrowerRead
from recruitment.schemas.intermediaries import IntermediaryCreate, IntermediaryRead
from recruitment.schemas.job_orders import JobOrderCreate, JobOrderRead
from recruitment.schemas.recruitments import CostCreate, HireCreate, HireRead
from recruitment.services import access, growers, hires, intermediaries, job_orders
from recruitment.services.caller import COMMAND_LINE

_serial = itertools.count(1)


def unique_fein() -> str:
    # 59 is an IRS campus prefix that python-stdnum accepts; the rest only has to be unique.
    return ein.format(f"59{next(_serial):07d}")


@dataclass
class Credentials:
    key: str
    key_id: UUID
    grower_id: UUID | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


class Factory:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def grower(self, **overrides: Any) -> GrowerRead:
        data = {
            "legal_name": f"Grower {next(_serial)} LLC",
            "fein": unique_fein(),
            "street": "100 Farm Road",
            "city": "Immokalee",
            "state": "FL",
            "postal_code": "34142",
            **overrides,
        }
        grower = await growers.create_grower(self.session, COMMAND_LINE, GrowerCreate(**data))
        await self.session.commit()
        return grower

    async def key(self, role: Role, grower_id: UUID | None = None) -> Credentials:
        issued = await access.issue_key(
            self.session, COMMAND_LINE, role=role, grower_id=grower_id, label=f"test {role}"
        )
        await self.session.commit()
        return Credentials(issued.key, issued.id, grower_id)

    async def grower_with_key(self, **overrides: Any) -> tuple[GrowerRead, Credentials]:
        grower = await self.grower(**overrides)
        return grower, await self.key("grower", grower.id)

    async def job_order(self, grower_id: UUID, **term_overrides: Any) -> JobOrderRead:
        created = await job_orders.create_job_order(
            self.session,
            COMMAND_LINE,
            JobOrderCreate(
                grower_id=grower_id,
                terms=JobOrderTerms.model_validate(complete_terms(**term_overrides)),
            ),
        )
        await self.session.commit()
        return created

    async def intermediary(self, **overrides: Any) -> IntermediaryRead:
        data = {"kind": "sne_office", "name": "SNE Oficina Tlaxcala", "country": "MX", **overrides}
        created = await intermediaries.declare(
            self.session, COMMAND_LINE, IntermediaryCreate.model_validate(data)
        )
        await self.session.commit()
        return created

    async def hire(self, job_order: JobOrderRead, **overrides: Any) -> HireRead:
        """A clean direct hire through a staff-created SNE office."""
        office = await self.intermediary()
        data = hire_request(job_order.id, office.id, **overrides)
        hire = await hires.register_hire(
            self.session, COMMAND_LINE, HireCreate.model_validate(data)
        )
        await self.session.commit()
        return hire


def hire_request(job_order_id: UUID, office_id: UUID, /, **overrides: Any) -> dict[str, Any]:
    """The body of a clean direct hire of a new worker, referred by the SNE office; the
    overrides may replace any field, `sne_office_id` included."""
    return {
        "job_order_id": str(job_order_id),
        "worker": worker_identity(),
        "channel": "sne",
        "sne_folio": f"TLX-{next(_serial)}",
        "sne_office_id": str(office_id),
        "milestones": {"recruited": "2025-09-01", "visa_applied": "2025-09-20"},
        "start_date": "2025-11-01",
        **overrides,
    }


# A deduction 20 CFR 655.122(p) allows: H-2A wages are exempt from FICA (26 USC 3121(b)(1)), and
# income tax is withheld only when the worker asks for it.
LAWFUL_DEDUCTION = {
    "description": "Federal income tax withholding, only if the worker asks for it in writing",
    "basis": "IRS Form W-4 filed by the worker",
}


def complete_terms(**overrides: Any) -> dict[str, Any]:
    """Job-order terms with every item 20 CFR 655.122 asks for, as a grower would send them."""
    return {
        "case_number": "H-300-25001-000001",
        "job_order_number": "FL-10001",
        "soc_code": "45-2092",
        "job_title": "Farmworker, tomato harvest",
        "duties": "Harvest tomatoes by hand into buckets and carry them to the trailer.",
        "crops_activities": ["tomatoes"],
        "worksites": [{"address": "1 Field Rd", "city": "Immokalee", "state": "FL"}],
        "period_start": "2025-11-01",
        "period_end": "2026-05-31",
        "hours_per_week": 40,
        "hours_per_day": 8,
        "daily_schedule": "7:00-15:30, Monday to Friday",
        "wage_offer": {"amount": 1700, "currency": "USD"},
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
            "address": "200 Camp Rd",
            "city": "Immokalee",
            "state": "FL",
            "postal_code": "34142",
            "capacity": 80,
            "at_no_cost": True,
        },
        "meals": {"arrangement": "kitchen"},
        "daily_transportation": "Company bus from housing to the field, free of charge",
        "travel": {
            "inbound_paid_or_reimbursed": True,
            "outbound_paid_or_reimbursed": True,
            "subsistence_per_day": {"amount": 1546, "currency": "USD"},
        },
        "tools_at_no_cost": True,
        "workers_compensation": {"carrier": "FL Farm Mutual", "policy_number": "WC-123"},
        "complaint_line": "+1 855 000 0000",
        "employer_phone": "+1 239 555 0100",
        "translations": {
            "es": {
                "job_title": "Trabajador agrícola, cosecha de tomate",
                "duties": "Cosechar tomate a mano en cubetas y llevarlas al remolque.",
                "crops_activities": ["tomate"],
                "daily_schedule": "7:00-15:30, de lunes a viernes",
                "daily_transportation": "Autobús de la empresa de la vivienda al campo, gratis",
                "piece_rates": [{"crop_or_activity": "tomate", "unit": "cubeta (32 lb)"}],
                "deductions": [{"description": "FICA", "basis": "7.65 % del salario bruto"}],
            },
            "ht": {
                "job_title": "Travayè agrikòl, rekòt tomat",
                "duties": "Ranmase tomat ak men nan bokit epi pote yo nan trelè a.",
                "crops_activities": ["tomat"],
                "daily_schedule": "7:00-15:30, lendi rive vandredi",
                "daily_transportation": "Bis konpayi an, lojman rive nan jaden an, gratis",
                "piece_rates": [{"crop_or_activity": "tomat", "unit": "bokit (32 liv)"}],
                "deductions": [{"description": "FICA", "basis": "7,65 % salè brit la"}],
            },
        },
        **overrides,
    }


_curp_serial = itertools.count(1)


def unique_curp() -> str:
    """A CURP that python-stdnum accepts, different on each call (its check digit computed)."""
    from stdnum.mx import curp

    serial = next(_curp_serial)
    year, month, day = 80 + serial // 336 % 20, serial // 28 % 12 + 1, serial % 28 + 1
    body = f"GOMJ{year:02d}{month:02d}{day:02d}HDFRRN0"
    return body + curp.calc_check_digit(body)


def worker_identity(**overrides: Any) -> dict[str, Any]:
    from stdnum.mx import curp

    document = overrides.pop("curp", None) or unique_curp()
    return {
        "given_names": "Juan",
        "family_names": "Gómez Ramírez",
        "date_of_birth": curp.get_birth_date(document).isoformat(),
        "nationality": "MX",
        "curp": document,
        "preferred_language": "es",
        "phone": "+52 55 1234 5678",
        **overrides,
    }


# A recruiter's fee the worker paid: what RECRUITMENT_FEE_CHARGED is about.
RECRUITMENT_FEE = CostCreate.model_validate(
    {
        "category": "recruitment_fee",
        "amount": {"amount": 350000, "currency": "MXN"},
        "paid_on": "2025-09-02",
        "payee_kind": "other",
        "payee_name": "Enganchador en Tlaxcala",
        "reported_by": "worker",
    }
)
