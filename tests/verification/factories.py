"""Facts for the rules' tests: a clean case that raises nothing, and small builders to spoil it.

The clean case: a worker recruited through a verified SNE referral, hired directly by the grower,
given a Spanish contract before applying for the visa, on complete terms paying above the floor,
and with no costs. Each test changes one thing.
"""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from recruitment.domain.terms import (
    Housing,
    JobOrderTerms,
    Meals,
    Money,
    Travel,
    WorkersCompensation,
    Worksite,
)
from recruitment.verification import Finding
from recruitment.verification.facts import (
    CaseFacts,
    ChainLink,
    Contract,
    Cost,
    Delivery,
    Hire,
    Intermediary,
    JobOrder,
    Milestones,
    RegistryRecord,
    Reimbursement,
    Worker,
)


def evidence(finding: Finding) -> Any:
    """A finding's evidence, typed loosely so that tests can index into it."""
    return finding.evidence


def uid(number: int) -> UUID:
    """A readable, stable id: uid(7) is 00000000-0000-0000-0000-000000000007."""
    return UUID(int=number)


GROWER_ID = uid(1)
WORKER_ID = uid(2)
JOB_ORDER_ID = uid(3)
RECRUITMENT_ID = uid(4)
SNE_OFFICE_ID = uid(5)
HIRE_ID = uid(6)
CONTRACT_ID = uid(7)

RECRUITED = date(2025, 1, 10)
CONTRACT_DELIVERED = date(2025, 1, 20)
VISA_APPLIED = date(2025, 2, 3)
ARRIVED = date(2025, 3, 26)  # a Wednesday
PERIOD_START = date(2025, 4, 1)
PERIOD_END = date(2025, 9, 30)
AS_OF = date(2025, 5, 15)


def clean_terms(**changes: Any) -> JobOrderTerms:
    terms = JobOrderTerms(
        case_number="H-300-24350-000001",
        job_order_number="FL10001",
        soc_code="45-2092",
        job_title="Farmworker, tomato harvest",
        duties="Hand-harvest tomatoes into buckets and carry them to the truck.",
        crops_activities=["tomatoes"],
        worksites=[Worksite(address="100 Farm Rd", city="Immokalee", state="FL")],
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        hours_per_week=40,
        hours_per_day=8,
        daily_schedule="7:00-15:30, Monday to Friday",
        wage_offer=Money(amount=1700, currency="USD"),
        wage_unit="hour",
        pay_frequency="weekly",
        housing=Housing(
            type="employer_owned",
            address="1 Camp Rd",
            city="Immokalee",
            state="FL",
            postal_code="34142",
            capacity=40,
        ),
        meals=Meals(arrangement="kitchen"),
        daily_transportation="Company bus from the camp to the field and back.",
        travel=Travel(subsistence_per_day=Money(amount=1546, currency="USD")),
        tools_at_no_cost=True,
        workers_compensation=WorkersCompensation(carrier="Acme Mutual", policy_number="WC-1"),
        complaint_line="1-800-555-0100",
        employer_phone="+1 239 555 0100",
    )
    return terms.model_copy(update=changes)


def clean_case(**changes: Any) -> CaseFacts:
    case = CaseFacts(
        recruitment_id=RECRUITMENT_ID,
        grower_id=GROWER_ID,
        worker=Worker(id=WORKER_ID, preferred_language="es", nationality="MX"),
        job_order=JobOrder(id=JOB_ORDER_ID, version=1, terms=clean_terms()),
        channel="sne",
        channel_verification="verified",
        sne_folio="MICH-2025-000123",
        sne_office_id=SNE_OFFICE_ID,
        milestones=Milestones(
            recruited=RECRUITED,
            contract_disclosed=CONTRACT_DELIVERED,
            visa_applied=VISA_APPLIED,
            visa_issued=date(2025, 2, 20),
            arrived=ARRIVED,
            hired=PERIOD_START,
        ),
        hire=Hire(
            id=HIRE_ID,
            employer_of_record_kind="grower",
            employer_of_record_id=GROWER_ID,
            wages_paid_by_kind="grower",
            wages_paid_by_id=GROWER_ID,
            start_date=PERIOD_START,
        ),
        contracts=(contract(),),
    )
    return replace(case, **changes)


def with_terms(**changes: Any) -> CaseFacts:
    """The clean case with its job order's terms changed."""
    return clean_case(job_order=JobOrder(id=JOB_ORDER_ID, version=1, terms=clean_terms(**changes)))


def with_milestones(**changes: Any) -> CaseFacts:
    return clean_case(milestones=replace(clean_case().milestones, **changes))


def contract(
    language: str = "es",
    delivered_on: date | None = CONTRACT_DELIVERED,
    *,
    number: int = 7,
    superseded: bool = False,
) -> Contract:
    deliveries = (Delivery(delivered_on=delivered_on, method="in_person"),) if delivered_on else ()
    return Contract(
        id=uid(number),
        language=language,  # type: ignore[arg-type]
        job_order_version=1,
        issued_at=datetime(2025, 1, 15, 12, tzinfo=UTC),
        superseded=superseded,
        deliveries=deliveries,
    )


def registry_record(number: str = "C-04-000001-A-25-R", **changes: Any) -> RegistryRecord:
    record = RegistryRecord(
        certificate_number=number,
        holder_name="ACME HARVESTING, LLC",
        valid_from=date(2024, 6, 1),
        valid_until=date(2026, 5, 31),
        authorized_to_house=False,
        authorized_to_transport=False,
        authorized_to_drive=False,
    )
    return replace(record, **changes)


def intermediary(number: int, kind: str = "farm_labor_contractor", **changes: Any) -> Intermediary:
    """A verified contractor holding a certificate valid through the clean case's dates."""
    found = Intermediary(
        id=uid(number),
        kind=kind,  # type: ignore[arg-type]
        name=f"Intermediary {number}",
        verification="verified",
        certificate_number=f"C-04-{number:06d}-A-25-R",
        certificate_valid_from=date(2024, 6, 1),
        certificate_valid_until=date(2026, 5, 31),
    )
    return replace(found, **changes)


def link(found: Intermediary, **changes: Any) -> ChainLink:
    """Engaged by the grower under a written fee ban, acting on the recruitment date."""
    chain_link = ChainLink(
        intermediary=found,
        engaged_by="grower",
        engaged_by_intermediary_id=None,
        written_fee_ban=True,
        acted_on=None,
    )
    return replace(chain_link, **changes)


def cost(number: int, **changes: Any) -> Cost:
    """A visa fee of 185 USD paid to the consulate before the trip."""
    paid = Cost(
        id=uid(number),
        category="administrative",
        purpose="visa",
        amount=18500,
        currency="USD",
        paid_on=date(2025, 2, 10),
        payee_kind="consulate",
        payee_intermediary_id=None,
        payee_name="US Consulate Monterrey",
        reported_by="worker",
    )
    return replace(paid, **changes)


def reimbursement(
    number: int, amount: int, *cost_ids: UUID, currency: str = "USD", paid_on: date = ARRIVED
) -> Reimbursement:
    return Reimbursement(
        id=uid(number),
        amount=amount,
        currency=currency,  # type: ignore[arg-type]
        paid_on=paid_on,
        cost_ids=cost_ids,
    )
