"""What a contract and its two web pages show, as plain frozen data: the renderer's input.

The service builds these from the database; the renderer knows nothing else. Everything the
document says in words comes from `contracts/texts/`, so these models carry codes and values
(a cost category, a wage unit, a country code), never sentences.

Personal data is kept to what the worker's own contract needs: the identity document reaches the
renderer already masked, and the public verification page's context has no worker field at all.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Literal, Self

from babel import Locale
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from recruitment.domain.terms import JobOrderTerms, Money, ShortText
from recruitment.domain.vocabulary import (
    CostCategory,
    IntermediaryKind,
    Language,
    UsState,
    WageUnit,
    WorkerConcern,
)

IdentityDocumentKind = Literal["curp", "passport"]
WageFloorKind = Literal["aewr", "prevailing_wage", "state_minimum_wage", "federal_minimum_wage"]
# Which rule sets a reimbursement's deadline (20 CFR 655.122(h); Arriaga v. Florida Pacific Farms).
DeadlineBasis = Literal["immediately", "first_workweek", "half_of_period", "end_of_period"]
VerificationOutcome = Literal["current", "superseded", "not_found"]

VerificationCode = Annotated[str, Field(min_length=4, max_length=32, pattern=r"^[A-Z0-9-]+$")]
# How many trailing characters of an identity number may be shown: enough for the worker to
# recognise their document, too few to be of use to anyone else.
_VISIBLE_CHARACTERS: dict[IdentityDocumentKind, int] = {"curp": 4, "passport": 3}
_KNOWN_TERRITORIES = frozenset(Locale.parse("en").territories)


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _require_utc(value: datetime) -> datetime:
    if value.utcoffset() != timedelta(0):
        raise ValueError("must be in UTC")
    return value


def _require_link(value: str) -> str:
    # Jinja escapes text but not the meaning of a URL: a `javascript:` link would still run.
    if not value.startswith(("https://", "http://", "/")) or value.startswith("//"):
        raise ValueError("must be an http(s) URL or a path starting with '/'")
    return value


class Program(Frozen):
    """The Worker-driven Social Responsibility program the grower takes part in."""

    name: ShortText = Field(examples=["Fair Food Program"])
    complaint_line: ShortText = Field(
        description="The 24/7 complaint line as people dial it.", examples=["+1 (239) 555-0123"]
    )

    @field_validator("complaint_line")
    @classmethod
    def has_digits(cls, value: str) -> str:
        if sum(character.isdigit() for character in value) < 3:
            raise ValueError("a phone number needs digits")
        return value

    @property
    def complaint_line_uri(self) -> str:
        """A `tel:` link that a phone can dial."""
        digits = "".join(character for character in self.complaint_line if character.isdigit())
        return f"tel:+{digits}" if self.complaint_line.lstrip().startswith("+") else f"tel:{digits}"


class GrowerParty(Frozen):
    legal_name: ShortText
    trade_name: ShortText | None = None
    address: ShortText = Field(description="Street, city, state and ZIP code on one line.")
    state: UsState
    fein: Annotated[str, Field(pattern=r"^\d{2}-\d{7}$", examples=["59-1234567"])]


class IdentityDocument(Frozen):
    """A masked identity document: only its last few characters ever reach the renderer."""

    kind: IdentityDocumentKind
    last_characters: Annotated[str, Field(min_length=3, max_length=4, pattern=r"^[A-Z0-9]+$")]

    @classmethod
    def masked(cls, kind: IdentityDocumentKind, number: str) -> Self:
        """Keep the last characters of a full CURP or passport number, and nothing else."""
        compact = "".join(number.split()).upper()
        visible = _VISIBLE_CHARACTERS[kind]
        if len(compact) <= visible:
            raise ValueError(f"a {kind} number is longer than {visible} characters")
        return cls(kind=kind, last_characters=compact[-visible:])


class WorkerParty(Frozen):
    full_name: ShortText
    identity_document: IdentityDocument
    nationality: Annotated[str, Field(examples=["MX"], description="ISO 3166-1 alpha-2 code.")]

    @field_validator("nationality")
    @classmethod
    def known_country(cls, value: str) -> str:
        if value not in _KNOWN_TERRITORIES or not value.isalpha():
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value


class WageFloor(Frozen):
    """The least the law lets this job pay per hour, and which rate sets it (20 CFR 655.120)."""

    kind: WageFloorKind
    state: UsState
    year: int = Field(ge=2000, le=2100)
    hourly_rate: Money | None = Field(
        default=None, description="None: no such rate was published for this state and year."
    )


class RecruitmentChainEntry(Frozen):
    """One office or person recorded between the worker and the grower."""

    name: ShortText
    kind: IntermediaryKind
    engaged_by: ShortText = Field(description="The name of whoever engaged it.")
    written_fee_ban: bool


class OwedCost(Frozen):
    """A cost the worker paid that the employer must pay back."""

    category: CostCategory
    description: ShortText | None = Field(
        default=None, description="As recorded (a payee, a receipt); printed as is."
    )
    amount: Money
    deadline_basis: DeadlineBasis
    deadline: date | None = Field(
        default=None, description="None when it can't be dated yet (no contract period)."
    )


class ContractDocument(Frozen):
    """One contract: one job-order version for one worker in one language."""

    language: Language
    issued_at: AwareDatetime = Field(description="UTC; also the PDF's creation date.")
    verification_code: VerificationCode
    verification_url: Annotated[str, Field(max_length=500)] = Field(
        description="The public page the QR code opens."
    )
    program: Program
    grower: GrowerParty
    worker: WorkerParty
    terms: JobOrderTerms
    job_order_version: int = Field(ge=1)
    wage_floor: WageFloor | None = None
    recruitment_chain: tuple[RecruitmentChainEntry, ...] = Field(default=(), max_length=50)
    owed_costs: tuple[OwedCost, ...] = Field(default=(), max_length=200)
    untranslated_fields: tuple[str, ...] = Field(
        default=(),
        description="Grower-written fields printed in the grower's language, not this one: "
        "staff issued the contract anyway, with a reason.",
    )

    @field_validator("issued_at")
    @classmethod
    def issued_in_utc(cls, value: datetime) -> datetime:
        return _require_utc(value)

    @field_validator("verification_url")
    @classmethod
    def absolute_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an absolute http(s) URL")
        return value


class WorkerPageContext(Frozen):
    """The worker's own page, `GET /c/{token}`."""

    document: ContractDocument
    pdf_url: str = Field(description="Where the PDF downloads from.")
    confirm_url: str = Field(description="Where the receipt-confirmation form posts to.")
    complaint_url: str | None = Field(default=None, description="The worker's report form.")
    audio_url: str | None = Field(default=None, description="Page 1, spoken, when there is audio.")
    receipt_confirmed_at: AwareDatetime | None = None
    superseded: bool = Field(
        default=False, description="A newer contract replaces this one: the page says so first."
    )
    csrf_token: str | None = Field(
        default=None, description="Sent as the form field `_csrf_token` when given."
    )

    @field_validator("pdf_url", "confirm_url", "audio_url")
    @classmethod
    def safe_link(cls, value: str | None) -> str | None:
        return None if value is None else _require_link(value)

    @field_validator("complaint_url")
    @classmethod
    def safe_optional_link(cls, value: str | None) -> str | None:
        return None if value is None else _require_link(value)


ComplaintFormProblem = Literal[
    "need_concern", "need_details", "too_long", "bad_characters", "bad_phone", "too_large"
]


class ComplaintFormContext(Frozen):
    """The worker's report form, `/c/{token}/complaint`, empty or with what they sent back."""

    document: ContractDocument
    action_url: str
    back_url: str
    problem: ComplaintFormProblem | None = None
    concern: WorkerConcern | None = None
    details: str = ""
    callback: str = ""
    anonymous: bool = False

    @field_validator("action_url", "back_url")
    @classmethod
    def safe_link(cls, value: str) -> str:
        return _require_link(value)


class ComplaintSentContext(Frozen):
    """The page after a report: its reference, and whether the program can call back."""

    document: ContractDocument
    back_url: str
    reference: str
    anonymous: bool
    callback_given: bool

    @field_validator("back_url")
    @classmethod
    def safe_link(cls, value: str) -> str:
        return _require_link(value)


class VerifiedContract(Frozen):
    """What the public may learn about a genuine contract: the job, never the worker."""

    grower_legal_name: ShortText
    grower_trade_name: ShortText | None = None
    job_title: ShortText | None = None
    period_start: date | None = None
    period_end: date | None = None
    wage_offer: Money | None = None
    wage_unit: WageUnit | None = None
    job_order_number: ShortText | None = None
    job_order_version: int = Field(ge=1)
    issued_at: AwareDatetime
    language: Language


class LanguageLink(Frozen):
    language: Language
    url: str

    @field_validator("url")
    @classmethod
    def safe_link(cls, value: str) -> str:
        return _require_link(value)


class TermsOverride(Frozen):
    """Staff issued the contract although its terms had open findings: what they were (titles in
    the page's language) and the reason staff wrote."""

    findings: tuple[str, ...]
    reason: Annotated[str, Field(max_length=2000)]


class VerifyPageContext(Frozen):
    """The public verification page, `GET /verify/{code}`."""

    language: Language
    code: Annotated[str, Field(max_length=64)] = Field(description="As the visitor gave it.")
    outcome: VerificationOutcome
    contract: VerifiedContract | None = None
    program: Program
    other_languages: tuple[LanguageLink, ...] = ()
    terms_override: TermsOverride | None = None
    audio_url: str | None = Field(
        default=None, description="Page 1 of the contract, spoken: no word about the worker."
    )

    @model_validator(mode="after")
    def contract_when_found(self) -> Self:
        if (self.outcome == "not_found") != (self.contract is None):
            raise ValueError("a found contract needs its details, and only a found one")
        return self
