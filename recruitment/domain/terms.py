"""A job order's employment terms: one immutable document per version.

Every field a grower may leave empty is optional here; whether the terms are complete enough for
20 CFR 655.122 is a rule (TERMS_INCOMPLETE), not a parsing error, so that a draft or an imported DOL
case can be stored and then flagged.
"""

from datetime import date
from typing import Annotated, Self

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from recruitment.domain.dates import WrittenDates
from recruitment.domain.plain_text import PlainText
from recruitment.domain.vocabulary import (
    Currency,
    HousingType,
    Language,
    MealArrangement,
    PayFrequency,
    UsState,
    WageUnit,
)


def _an_integer(value: object) -> object:
    # A check of the value's own type: the request decoder validates in lax mode, where `true`
    # would pass as 1 and "500" as 500, whatever the field's strictness.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {value!r}")
    return value


def _a_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {value!r}")
    return value


# Money and counts: numbers as numbers, never a boolean or a string of digits.
StrictInt = Annotated[int, BeforeValidator(_an_integer)]
StrictFloat = Annotated[float, BeforeValidator(_a_number)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=1, max_length=5000)]


class Strict(WrittenDates, PlainText):
    """Terms as sent: no unknown field, no number for a date, no NUL in text, and numbers as
    numbers (`true` is not 1 and `"500"` not 500 for money or counts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Money(Strict):
    """An amount in minor units (cents, centavos) of an ISO 4217 currency."""

    amount: StrictInt = Field(ge=0, le=10**12, description="Minor units: 1550 USD is $15.50.")
    currency: Currency


class Worksite(Strict):
    name: ShortText | None = None
    address: ShortText
    city: ShortText | None = Field(
        default=None,
        description="Some places of employment are given by road or coordinates alone.",
    )
    state: UsState
    county: ShortText | None = None


class ActivityWage(Strict):
    """A wage that applies to one crop or activity, by the hour, week or month (OFLC Form 790A,
    Addendum A); piece rates are `PieceRate`s."""

    crop_or_activity: ShortText
    rate: Money
    unit: WageUnit
    note: LongText | None = Field(default=None, description="Special pay information.")


class PieceRate(Strict):
    crop_or_activity: ShortText
    unit: ShortText = Field(description="What one piece is, e.g. 'bucket (32 lb)'.")
    rate: Money


class Deduction(Strict):
    description: ShortText
    amount: Money | None = None
    basis: LongText | None = Field(
        default=None,
        description="How it is computed when it is not a fixed amount.",
        validate_default=True,
    )

    @field_validator("basis")
    @classmethod
    def amount_or_basis(cls, basis: str | None, info: ValidationInfo) -> str | None:
        # Reported on `basis`, which is what to add; an invalid amount is reported on its own.
        if basis is None and "amount" in info.data and info.data["amount"] is None:
            raise ValueError("a deduction needs an amount or a basis")
        return basis


class Housing(Strict):
    type: HousingType
    description: ShortText | None = Field(
        default=None, description="The housing as the employer describes it, e.g. 'mobile home'."
    )
    address: ShortText
    city: ShortText | None = None
    state: UsState | None = None
    postal_code: Annotated[str, Field(pattern=r"^\d{5}(-\d{4})?$")] | None = Field(
        default=None, description="The ZIP code."
    )
    capacity: StrictInt = Field(ge=1, le=100_000)
    at_no_cost: bool = True


class Meals(Strict):
    arrangement: MealArrangement
    charge_per_day: Money | None = None


class Travel(Strict):
    inbound_paid_or_reimbursed: bool = True
    outbound_paid_or_reimbursed: bool = True
    subsistence_per_day: Money | None = None


class WorkersCompensation(Strict):
    carrier: ShortText
    policy_number: ShortText


class PieceRateText(Strict):
    crop_or_activity: ShortText
    unit: ShortText


class DeductionText(Strict):
    description: ShortText
    basis: LongText | None = None


class GrowerTexts(Strict):
    """The grower's own words (what no language file can say for them) in one more language.

    Lists are given whole, in the same order and length as in the terms. A field left out is
    untranslated: a contract in that language is refused until it is given, or issued by staff
    with a reason.
    """

    job_title: ShortText | None = None
    duties: LongText | None = None
    crops_activities: list[ShortText] | None = Field(default=None, max_length=1000)
    daily_schedule: ShortText | None = None
    daily_transportation: ShortText | None = None
    piece_rates: list[PieceRateText] | None = Field(default=None, max_length=2000)
    deductions: list[DeductionText] | None = Field(default=None, max_length=200)


# The grower-written fields of the terms, in the order a contract prints them.
GROWER_TEXT_FIELDS = (
    "job_title",
    "duties",
    "crops_activities",
    "daily_schedule",
    "daily_transportation",
    "piece_rates",
    "deductions",
)


class JobOrderTerms(Strict):
    case_number: ShortText | None = Field(default=None, description="OFLC case, e.g. H-300-21...")
    job_order_number: ShortText | None = None
    soc_code: Annotated[str, Field(pattern=r"^\d{2}-\d{4}(\.\d{2})?$")] | None = None
    job_title: ShortText | None = None
    duties: LongText | None = None
    crops_activities: list[ShortText] = Field(default_factory=list, max_length=1000)
    # An H-2A job order may list a thousand places of employment (Form 790A, Addendum B).
    worksites: list[Worksite] = Field(default_factory=list, max_length=2000)
    period_start: date | None = None
    period_end: date | None = None
    hours_per_week: StrictFloat | None = Field(default=None, gt=0, le=100)
    hours_per_day: StrictFloat | None = Field(
        default=None,
        gt=0,
        le=24,
        description="The daily hours the three-fourths guarantee counts (20 CFR 655.122(i)).",
    )
    daily_schedule: ShortText | None = None
    wage_offer: Money | None = None
    wage_unit: WageUnit | None = None
    piece_rates: list[PieceRate] = Field(default_factory=list, max_length=2000)
    activity_wages: list[ActivityWage] = Field(default_factory=list, max_length=2000)
    pay_frequency: PayFrequency | None = None
    deductions: list[Deduction] = Field(default_factory=list, max_length=200)
    housing: Housing | None = None
    additional_housing: list[Housing] = Field(
        default_factory=list, max_length=500, description="Further housing sites, if any."
    )
    meals: Meals | None = None
    daily_transportation: ShortText | None = Field(
        default=None, description="How workers get from housing to the worksite each day."
    )
    travel: Travel | None = None
    tools_at_no_cost: bool | None = None
    workers_compensation: WorkersCompensation | None = None
    employer_phone: ShortText | None = Field(
        default=None, description="The employer's phone number, as people dial it."
    )
    complaint_line: ShortText | None = Field(
        default=None, description="The program's 24/7 complaint line."
    )

    @field_validator("period_end")
    @classmethod
    def period_in_order(cls, period_end: date | None, info: ValidationInfo) -> date | None:
        period_start = info.data.get("period_start")
        if period_start and period_end and period_end < period_start:
            raise ValueError(f"period_end {period_end} is before period_start {period_start}")
        return period_end

    text_language: Language = Field(
        default="en", description="The language the grower wrote the terms' texts in."
    )
    translations: dict[Language, GrowerTexts] = Field(
        default_factory=dict,
        description="The grower's texts (duties, crops, piece-rate units, schedule, transport, "
        "deductions) in the other languages contracts are issued in.",
    )

    @model_validator(mode="after")
    def translations_match_the_terms(self) -> Self:
        for language, texts in self.translations.items():
            for name in ("crops_activities", "piece_rates", "deductions"):
                given = getattr(texts, name)
                if given is not None and len(given) != len(getattr(self, name)):
                    raise ValueError(
                        f"translations.{language}.{name} has {len(given)} entries; the terms "
                        f"have {len(getattr(self, name))}"
                    )
            for original, translated in zip(self.deductions, texts.deductions or (), strict=False):
                if (original.basis is None) != (translated.basis is None):
                    raise ValueError(
                        f"translations.{language}.deductions: give a basis exactly where the "
                        "terms do"
                    )
        return self

    def untranslated_fields(self, language: Language) -> list[str]:
        """The grower-written fields that have a value here and none in `language`."""
        if language == self.text_language:
            return []
        texts = self.translations.get(language, GrowerTexts())
        return [
            name
            for name in GROWER_TEXT_FIELDS
            if getattr(self, name) not in (None, []) and getattr(texts, name) is None
        ]

    def in_language(self, language: Language) -> "JobOrderTerms":
        """These terms with the grower's texts in `language` wherever they are given."""
        texts = self.translations.get(language)
        if language == self.text_language or texts is None:
            return self.model_copy(update={"translations": {}})
        update: dict[str, object] = {
            name: getattr(texts, name)
            for name in ("job_title", "duties", "crops_activities", "daily_schedule",
                         "daily_transportation")
            if getattr(texts, name) is not None
        }  # fmt: skip
        if texts.piece_rates is not None:
            update["piece_rates"] = [
                piece.model_copy(update=text.model_dump())
                for piece, text in zip(self.piece_rates, texts.piece_rates, strict=True)
            ]
        if texts.deductions is not None:
            update["deductions"] = [
                deduction.model_copy(update=text.model_dump())
                for deduction, text in zip(self.deductions, texts.deductions, strict=True)
            ]
        return self.model_copy(update={**update, "translations": {}})

    @property
    def worksite_state(self) -> str | None:
        """The state whose wage floor applies: the first worksite's."""
        return self.worksites[0].state if self.worksites else None
