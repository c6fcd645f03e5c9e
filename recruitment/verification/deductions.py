"""Deductions from pay that the law forbids or caps, as the job order states them.

20 CFR 655.122(p) allows only the deductions the law requires and those reasonable ones stated in
the job offer; a deduction for the employer's own benefit is not reasonable (29 CFR 531.3(d)(1)),
and the rules name what that includes: housing (655.122(d)(1)), tools and equipment (655.122(f)),
workers' compensation (655.122(e)), inbound and outbound travel and the visa (655.122(h),
655.135(j)). FICA is never required: H-2A wages are not "employment" for Social Security and
Medicare (26 USC 3121(b)(1)). Meals may be charged, up to the daily maximum OFLC publishes each year
(20 CFR 655.173(a)), which staff load like the wage rates.

The job order states deductions in words; each forbidden kind is recognised by its usual names in
English and Spanish, and the finding quotes the deduction as written so that staff can judge it.
Job orders also name these things where they state no deduction from an H-2A worker: FICA taken
only where the law requires it or from U.S. workers, damage a worker did to the housing or the
tools, a visa as the workers' status. Such a mention is read in its sentence and is not a
finding (`ForbiddenDeduction.lawful_context`). Judged this way, 465 of the 2,515 job orders in
OFLC's FY2022 Q1 disclosure file state a forbidden deduction (455 of them FICA from every worker's
wages), where reading the names alone found 1,622.
"""

import functools
import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from recruitment.domain.terms import Deduction, JobOrderTerms
from recruitment.verification.catalogue import catalogue
from recruitment.verification.facts import CaseFacts
from recruitment.verification.findings import Evidence, Finding, FlagCode, JsonValue

if TYPE_CHECKING:
    from recruitment.verification.rules import Reference

MEAL_CHARGE_SOURCE = "20 CFR 655.173(a), 655.122(g)"
# The figures shipped with the package (the migration seeds the same ones); later years are
# loaded by staff (`recruitment meal-charges import`, POST /reference/meal-charge-maximums).
PUBLISHED_MEAL_CHARGE_2025_SOURCE = (
    "20 CFR 655.173(a); ETA notice 'Labor Certification Process for the Temporary Employment of "
    "Aliens in Agriculture: 2025 Allowable Charges for Agricultural Workers' Meals...', Federal "
    "Register, 24 March 2025: USD 16.28 per day"
)


@dataclass(frozen=True)
class MealChargeMaximum:
    effective_from: date
    effective_until: date
    daily_cents: int
    source: str

    def as_evidence(self) -> Evidence:
        return {
            "effective_from": self.effective_from.isoformat(),
            "effective_until": self.effective_until.isoformat(),
            "daily_cents": self.daily_cents,
            "source": self.source,
        }


class MealChargeTable:
    """The published daily maximums; `lookup` answers the one in force on a date."""

    __slots__ = ("_maximums", "_starts")

    def __init__(self, maximums: Iterable[MealChargeMaximum]) -> None:
        self._maximums = tuple(sorted(maximums, key=lambda maximum: maximum.effective_from))
        self._starts = tuple(maximum.effective_from for maximum in self._maximums)
        if len(set(self._starts)) != len(self._starts):
            raise ValueError("two meal charge maximums take effect on the same day")

    def lookup(self, on_date: date) -> MealChargeMaximum | None:
        index = bisect_right(self._starts, on_date) - 1
        if index < 0:
            return None
        maximum = self._maximums[index]
        return maximum if on_date <= maximum.effective_until else None


PACKAGED_MEAL_CHARGES = MealChargeTable(
    [
        MealChargeMaximum(
            date(2025, 3, 24), date(2025, 12, 31), 1628, PUBLISHED_MEAL_CHARGE_2025_SOURCE
        )
    ]
)


@dataclass(frozen=True)
class ForbiddenDeduction:
    """A kind of deduction the law forbids, recognised by its usual names (`pattern`). Job orders
    also name these things where no deduction of them is stated (damage a worker did to the
    housing, tools provided at no charge, FICA taken from U.S. workers only): a mention with
    such wording (`lawful_context`) in its sentence (and the next `sentences_after`), within
    `reach` characters of it, states no forbidden deduction."""

    kind: str
    source: str
    pattern: re.Pattern[str]
    lawful_context: re.Pattern[str] | None = None
    reach: int = 0
    sentences_after: int = 0

    def forbids(self, text: str) -> bool:
        return any(
            self.lawful_context is None
            or not self.lawful_context.search(
                _around(text, mention, self.reach, self.sentences_after)
            )
            for mention in self.pattern.finditer(text)
        )


# Where a sentence ends ("7.65%" and "e.g.," go on; "U.S." is spelt "us" by then).
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


def _around(text: str, mention: re.Match[str], reach: int, sentences_after: int) -> str:
    """The mention's sentence and the `sentences_after` next ones, at most `reach` characters
    either side of the mention."""
    start, end = max(0, mention.start() - reach), mention.end() + reach
    ends_before = [found.end() for found in _SENTENCE_END.finditer(text, start, mention.start())]
    ends_after = list(
        itertools.islice(_SENTENCE_END.finditer(text, mention.end(), end), sentences_after + 1)
    )
    if len(ends_after) == sentences_after + 1:
        end = ends_after[-1].end()
    return text[ends_before[-1] if ends_before else start : end]


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _any_of(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


# A job order is also the offer to U.S. workers, from whose wages FICA is due: most job orders
# filed with DOL name it, and 957 of the 1,541 that did in FY2022 Q1 say beside it that it is
# taken only where the law requires it, only from U.S. workers, or not from H-2A workers. That
# states no deduction from an H-2A worker; FICA said to be taken from every worker ("Social
# Security ... may be deducted from wages") still is one.
_ONLY_WHERE_THE_LAW_REQUIRES = _any_of(
    r"(?:required|mandated) by (?:[a-z,/ ]{0,40} )?laws?\b",
    r"requerid[oa]s? por (?:[a-z,/ ]{0,40} )?ley\b",
    r"\b(?:de acuerdo con|conforme a|segun) (?:la |las )?ley",
    r"\bif (?:applicable|required)\b",
    r"\bsi (?:aplica|procede|corresponde)\b",
    r"\bus (?:workers?|employees?|citizens?)\b",
    r"\b(?:domestic|american|united states) (?:workers?|employees?|citizens?)\b",
    r"\bnon[- ]?h-?2a\b",
    r"\btrabajadores (?:estadounidenses|domesticos|de (?:los )?(?:ee\.? ?uu|estados unidos))",
    r"\bexempt|\bexent[oa]s?\b|\bnot subject to\b|\bno (?:esta|estan) sujet[oa]s?\b",
    r"\b(?:will|shall) not be (?:deducted|withheld)\b|\bno se (?:descontara|retendra)",
    r"\bapplicable (?:[a-z,/]+ ){0,3}laws?\b|\bas applicable\b",
    r"\b(?:under|per) (?:[a-z]+ ){0,3}laws?\b",
)
# Said of a thing provided, in both lists below.
_FREE_OF_CHARGE = r"\b(?:at|without|free of|no) (?:any )?(?:charge|cost)\b|\bsin (?:costo|cargo)\b"
# The housing, tools or equipment named as what a worker damaged or lost (a deduction for it
# is the worker's debt, not the employer's cost), or as provided without charge.
_DAMAGE_OR_NO_CHARGE = _any_of(
    r"\bdamage|\bdestruction\b|\bdestroy|\bbreakage\b|\bloss\b|\blost\b|\brepair",
    r"\breplacement\b|\bwear and tear\b|\bdanos?\b|\bperdida|\brotura|\breparacion",
    _FREE_OF_CHARGE,
    r"\bgratis\b",
    r"\bno deductions?\b|\bemployer[- ]provided\b|\bprovided by the employer\b",
    r"\b(?:employer|we) will (?:provide|furnish)\b",
)
# The visa named as the workers' status, recruitment as a period, travel as reimbursed.
_STATUS_PERIOD_OR_REPAID = _any_of(
    r"\b(?:temporary|agricultural|h-?2a|work|worker'?s?) visas?\b",
    r"\bvisa (?:holders?|workers?|status|class(?:ification)?)\b",
    r"\brecruitment (?:period|or work contract|and work contract)\b",
    r"\bduring the recruitment\b",
    r"\breimburs|\breembols",
    _FREE_OF_CHARGE,
    r"\b(?:will|shall) not be (?:deducted|charged|withheld)\b|\bno se (?:descontara|cobrara)",
    r"\bprohibit|\bprohib",
)

# Matched against the description and basis, lower-cased and without accents.
FORBIDDEN_DEDUCTIONS: tuple[ForbiddenDeduction, ...] = (
    ForbiddenDeduction(
        "fica",
        "26 USC 3121(b)(1); 20 CFR 655.122(p)(1)",
        _words(r"fica", r"social security", r"medicare", r"seguro social", r"seguridad social"),
        # The limit often follows the list of taxes it qualifies, or comes in the next sentence
        # ("Employer will deduct only those items required by law").
        _ONLY_WHERE_THE_LAW_REQUIRES,
        reach=200,
        sentences_after=1,
    ),
    ForbiddenDeduction(
        "housing",
        "20 CFR 655.122(d)(1), 655.122(p)",
        _words(r"rent", r"housing", r"lodging", r"renta", r"alquiler", r"vivienda", r"hospedaje"),
        # The same clause ("damage to housing, tools and/or equipment caused by the worker").
        _DAMAGE_OR_NO_CHARGE,
        reach=50,
    ),
    ForbiddenDeduction(
        "tools_and_equipment",
        "20 CFR 655.122(f), 655.122(p); 29 CFR 531.3(d)(1)",
        _words(r"tools?", r"equipment", r"herramientas?", r"equipo"),
        _DAMAGE_OR_NO_CHARGE,
        reach=50,
    ),
    ForbiddenDeduction(
        "workers_compensation",
        "20 CFR 655.122(e), 655.122(p)",
        _words(r"workers'? comp(?:ensation)?", r"seguro de (?:accidentes|riesgos) de trabajo"),
        # Some states make workers pay a share of the premium (Washington, for one).
        _ONLY_WHERE_THE_LAW_REQUIRES,
        reach=200,
        sentences_after=1,
    ),
    ForbiddenDeduction(
        "visa_travel_and_recruitment",
        "20 CFR 655.122(h), 655.135(j); 29 CFR 531.35",
        _words(
            r"visa",
            r"recruitment",
            r"recruiting",
            r"reclutamiento",
            r"airfare",
            r"bus fare",
            r"inbound travel",
            r"outbound travel",
            r"pasaje",
            r"boleto",
        ),
        _STATUS_PERIOD_OR_REPAID,
        reach=50,
    ),
)


# "U.S.": the abbreviation's full stops would end a sentence.
_UNITED_STATES = re.compile(r"\bu\.\s?s\b\.?")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _UNITED_STATES.sub("us", plain)


def _forbidden(deduction: Deduction) -> ForbiddenDeduction | None:
    return _forbidden_by(f"{deduction.description} {deduction.basis or ''}")


# A job order's deductions are judged again for each of its cases.
@functools.lru_cache(maxsize=16_384)
def _forbidden_by(stated: str) -> ForbiddenDeduction | None:
    text = _plain(stated)
    return next((rule for rule in FORBIDDEN_DEDUCTIONS if rule.forbids(text)), None)


def _deduction_evidence(deduction: Deduction) -> Evidence:
    amount = deduction.amount
    return {
        "description": deduction.description,
        "basis": deduction.basis,
        "amount": {"amount": amount.amount, "currency": amount.currency} if amount else None,
    }


def _meal_charge_problem(terms: JobOrderTerms, maximum: MealChargeMaximum) -> Evidence:
    charge = terms.meals.charge_per_day if terms.meals else None
    assert charge is not None
    return {
        "kind": "meal_charge_above_maximum",
        "charge_per_day": {"amount": charge.amount, "currency": charge.currency},
        "on_date": terms.period_start.isoformat() if terms.period_start else None,
        "maximum": maximum.as_evidence(),
        "source": MEAL_CHARGE_SOURCE,
    }


def _meal_charge(terms: JobOrderTerms) -> int | None:
    """The daily meal charge in US cents, when the terms state a charge in dollars."""
    charge = terms.meals.charge_per_day if terms.meals else None
    if charge is None or charge.amount == 0 or charge.currency != "USD":
        return None
    return charge.amount


def _finding(code: FlagCode, case: CaseFacts, evidence: Evidence) -> Finding:
    entry = catalogue()[code]
    return Finding(code, entry.severity, f"job_order:{case.job_order.id}", evidence, entry.source)


def unlawful_deduction(case: CaseFacts, as_of: date, reference: "Reference") -> list[Finding]:
    """A deduction the law forbids (FICA: 26 USC 3121(b)(1); housing, tools, workers'
    compensation, visa and travel: 20 CFR 655.122(d)(1), (e), (f), (h), (p)), or a meal charge
    above the daily maximum in force at the period start (20 CFR 655.173(a)).

    Judged on the job order version's terms; the date judged for the meal maximum is the period
    start, named in the evidence.
    """
    terms = case.job_order.terms
    problems: list[JsonValue] = []
    for deduction in terms.deductions:
        forbidden = _forbidden(deduction)
        if forbidden is not None:
            problems.append(
                {
                    "kind": forbidden.kind,
                    "deduction": _deduction_evidence(deduction),
                    "source": forbidden.source,
                }
            )
    charge = _meal_charge(terms)
    if charge is not None and terms.period_start is not None:
        maximum = reference.meal_charges.lookup(terms.period_start)
        if maximum is not None and charge > maximum.daily_cents:
            problems.append(_meal_charge_problem(terms, maximum))
    if not problems:
        return []
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "job_order_version": case.job_order.version,
        "problems": problems,
    }
    return [_finding("UNLAWFUL_DEDUCTION", case, evidence)]


def meal_charge_maximum_unknown(
    case: CaseFacts, as_of: date, reference: "Reference"
) -> list[Finding]:
    """The job order charges for meals, but no maximum (20 CFR 655.173(a)) is loaded for the
    period start, so whether the charge is lawful can't be judged. Missing data is a finding."""
    terms = case.job_order.terms
    charge = _meal_charge(terms)
    if charge is None or terms.period_start is None:
        return []
    if reference.meal_charges.lookup(terms.period_start) is not None:
        return []
    charge_per_day = terms.meals.charge_per_day if terms.meals else None
    assert charge_per_day is not None
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "job_order_version": case.job_order.version,
        "charge_per_day": {"amount": charge_per_day.amount, "currency": charge_per_day.currency},
        "on_date": terms.period_start.isoformat(),
        "note": "no published meal charge maximum is loaded for this date",
        "source": MEAL_CHARGE_SOURCE,
    }
    return [_finding("MEAL_CHARGE_MAXIMUM_UNKNOWN", case, evidence)]
