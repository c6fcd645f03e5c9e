"""Contracts to render: a short job order with one deduction, and a long one that must paginate."""

from datetime import UTC, date, datetime

from recruitment.domain.terms import (
    Deduction,
    Housing,
    JobOrderTerms,
    Meals,
    Money,
    PieceRate,
    Travel,
    WorkersCompensation,
    Worksite,
)
from recruitment.domain.vocabulary import Language
from recruitment.rendering import (
    ContractDocument,
    GrowerParty,
    IdentityDocument,
    OwedCost,
    Program,
    RecruitmentChainEntry,
    WageFloor,
    WorkerParty,
)

FULL_CURP = "GOMJ850312HMCRRN09"
COMPLAINT_LINE = "+1 (239) 555-0142"
ISSUED_AT = datetime(2025, 2, 14, 16, 5, tzinfo=UTC)


def usd(cents: int) -> Money:
    return Money(amount=cents, currency="USD")


def _worksite(number: int) -> Worksite:
    return Worksite(
        name=f"Campo {number}",
        address=f"{1200 + number} County Road 846",
        city="Immokalee",
        state="FL",
        county="Collier",
    )


def make_document(
    language: Language,
    *,
    long: bool = False,
    worker_name: str = "Juan Gómez Martínez",
) -> ContractDocument:
    if long:
        crops = ["tomate", "pimiento morrón", "pepino", "calabacita", "berenjena", "sandía"]
        piece_rates = [
            PieceRate(
                crop_or_activity=f"{crops[index % len(crops)].capitalize()}, corte {index + 1}",
                unit="cubeta de 32 lb" if index % 2 else "caja de 25 lb (empacada en el campo)",
                rate=usd(65 + index * 5),
            )
            for index in range(40)
        ]
        deductions = [
            Deduction(
                description="Impuesto federal sobre la renta (si el trabajador lo pide)",
                basis="Según el formulario W-4 que usted firme",
            ),
            *(
                Deduction(
                    description=f"Adelanto de salario número {index}", amount=usd(2500 + index)
                )
                for index in range(1, 14)
            ),
            Deduction(description="Comidas", amount=usd(1546), basis="por día, 3 comidas"),
        ]
        worksites = [_worksite(number) for number in range(1, 6)]
        chain: tuple[RecruitmentChainEntry, ...] = (
            RecruitmentChainEntry(
                name="SNE Oficina Morelia, Michoacán",
                kind="sne_office",
                engaged_by="Sunshine Farms LLC",
                written_fee_ban=True,
            ),
            RecruitmentChainEntry(
                name="Reclutamiento Agrícola del Bajío S.A. de C.V.",
                kind="foreign_recruiter",
                engaged_by="Sunshine Farms LLC",
                written_fee_ban=False,
            ),
        )
        owed: tuple[OwedCost, ...] = (
            OwedCost(
                category="administrative",
                description="Cuota de visa (MRV), consulado de Monterrey",
                amount=usd(18500),
                deadline_basis="first_workweek",
                deadline=date(2025, 3, 7),
            ),
            OwedCost(
                category="travel_and_lodging",
                description="Autobús Morelia a Monterrey y hotel",
                amount=Money(amount=245000, currency="MXN"),
                deadline_basis="half_of_period",
                deadline=date(2025, 4, 15),
            ),
            OwedCost(
                category="recruitment_fee",
                amount=usd(50000),
                deadline_basis="immediately",
            ),
        )
    else:
        piece_rates = []
        deductions = [Deduction(description="Comidas", amount=usd(1546), basis="por día")]
        worksites = [_worksite(1)]
        chain = (
            RecruitmentChainEntry(
                name="SNE Oficina Morelia, Michoacán",
                kind="sne_office",
                engaged_by="Sunshine Farms LLC",
                written_fee_ban=True,
            ),
        )
        owed = ()
    terms = JobOrderTerms(
        case_number="H-300-24345-123456",
        job_order_number="FL10987654",
        soc_code="45-2092.00",
        job_title="Trabajador agrícola, cosecha de tomate",
        duties=(
            "Cosechar tomate a mano y cargar las cubetas al camión.\nLimpiar el área de trabajo."
        ),
        crops_activities=["tomate", "pimiento"],
        worksites=worksites,
        period_start=date(2025, 3, 1),
        period_end=date(2025, 6, 30),
        hours_per_week=37.5,
        hours_per_day=7.5,
        daily_schedule="7:00 a 15:30, de lunes a sábado",
        wage_offer=usd(1623),
        wage_unit="hour",
        piece_rates=piece_rates,
        pay_frequency="weekly",
        deductions=deductions,
        housing=Housing(
            type="employer_owned",
            address="400 Main Street",
            city="Immokalee",
            state="FL",
            postal_code="34142",
            capacity=64,
        ),
        meals=Meals(arrangement="provided", charge_per_day=usd(1546)),
        daily_transportation="Autobús de la empresa, sale de la vivienda a las 6:30",
        travel=Travel(subsistence_per_day=usd(1546)),
        tools_at_no_cost=True,
        workers_compensation=WorkersCompensation(
            carrier="Florida Farm Mutual Insurance", policy_number="WC-2025-004411"
        ),
        employer_phone="+1 (239) 555-0188",
        text_language="es",
    )
    return ContractDocument(
        language=language,
        issued_at=ISSUED_AT,
        verification_code="K7QM-42XD",
        verification_url="https://contracts.example.org/verify/K7QM-42XD",
        program=Program(name="Fair Food Program", complaint_line=COMPLAINT_LINE),
        grower=GrowerParty(
            legal_name="Sunshine Farms LLC",
            trade_name="Sunshine Tomatoes",
            address="1500 Lake Trafford Road, Immokalee, FL 34142",
            state="FL",
            fein="59-1234567",
        ),
        worker=WorkerParty(
            full_name=worker_name,
            identity_document=IdentityDocument.masked("curp", FULL_CURP),
            nationality="MX",
        ),
        terms=terms,
        job_order_version=3,
        wage_floor=WageFloor(kind="aewr", state="FL", year=2025, hourly_rate=usd(1623)),
        recruitment_chain=chain,
        owed_costs=owed,
    )
