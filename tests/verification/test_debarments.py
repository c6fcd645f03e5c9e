"""The debarment list and the case status under the rules: pure, from facts. The list entries
are fictional, in the published format."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from recruitment.verification import packaged_reference
from recruitment.verification.debarments import (
    debarment_name_key,
    debarred_party,
    job_order_not_certified,
    possible_debarred_party,
)
from recruitment.verification.facts import DebarmentEntry, Party
from recruitment.verification.rules import evaluate
from tests.verification.factories import (
    AS_OF,
    PERIOD_END,
    PERIOD_START,
    clean_case,
    intermediary,
    link,
)

REFERENCE = packaged_reference()
GROWER = Party(names=("Green Valley Test Farms, LLC", "Valley Greens"), state="GA")


def entry(name: str = "GREEN VALLEY TEST FARMS LLC", **changes: Any) -> DebarmentEntry:
    listed = DebarmentEntry(
        entity_name=name,
        entity_type="Employer",
        location="Tifton, GA",
        state="GA",
        starts_on=date(2024, 3, 1),
        ends_on=date(2027, 2, 28),
        violation="Failure to pay wages as required",
        citation="20 CFR 655.182(d)(1)(i)",
        source_file="debarments.csv",
        line=2,
    )
    return replace(listed, **changes)


def codes(case: Any) -> list[str]:
    return [finding.code for finding in evaluate(case, AS_OF, REFERENCE)]


def test_a_grower_on_the_list_in_its_state_during_the_case_is_debarred() -> None:
    case = clean_case(grower=GROWER, debarments=(entry(),))
    [finding] = debarred_party(case, AS_OF, REFERENCE)
    assert finding.severity == "critical"
    assert finding.source.startswith("20 CFR 655.182")
    assert finding.evidence["debarment"]["citation"] == "20 CFR 655.182(d)(1)(i)"  # type: ignore[index]
    assert possible_debarred_party(case, AS_OF, REFERENCE) == []
    assert "DEBARRED_PARTY" in codes(case)


def test_the_trade_name_and_another_word_order_match_too() -> None:
    case = clean_case(grower=GROWER, debarments=(entry("Greens, Valley"),))
    assert len(debarred_party(case, AS_OF, REFERENCE)) == 1


def test_the_same_name_in_another_state_is_only_a_warning() -> None:
    case = clean_case(grower=GROWER, debarments=(entry(location="Salinas, CA", state="CA"),))
    assert debarred_party(case, AS_OF, REFERENCE) == []
    [finding] = possible_debarred_party(case, AS_OF, REFERENCE)
    assert finding.severity == "warning"
    assert "CA" in str(finding.evidence["why_near"])


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "counts"),
    [
        (date(2021, 1, 1), PERIOD_START.replace(year=2024), False),  # ended before the case
        (date(2021, 1, 1), date(2025, 1, 10), True),  # its last day is the recruitment day
        (PERIOD_END.replace(day=29), None, True),  # began before the period's last day
        (date(2025, 10, 1), date(2028, 9, 30), False),  # began after the case
    ],
)
def test_an_entry_counts_only_on_the_days_it_is_in_force(
    starts_on: date, ends_on: date | None, counts: bool
) -> None:
    listed = entry(starts_on=starts_on, ends_on=ends_on)
    case = clean_case(grower=GROWER, debarments=(listed,))
    assert bool(debarred_party(case, AS_OF, REFERENCE)) is counts


def test_a_contractor_in_the_chain_on_the_list_is_debarred() -> None:
    crew = intermediary(20, name="Sunrise Test Crews Inc", region="GA")
    case = clean_case(
        grower=GROWER,
        chain=(link(crew),),
        debarments=(entry("Sunrise Test Crews, Inc.", entity_type="H-2A Labor Contractor"),),
    )
    [finding] = debarred_party(case, AS_OF, REFERENCE)
    assert finding.evidence["party"]["id"] == str(crew.id)  # type: ignore[index]


def test_another_name_raises_nothing() -> None:
    case = clean_case(grower=GROWER, debarments=(entry("Green Valley Test Orchards LLC"),))
    assert debarred_party(case, AS_OF, REFERENCE) == []
    assert possible_debarred_party(case, AS_OF, REFERENCE) == []


def test_names_compare_without_case_punctuation_legal_form_or_word_order() -> None:
    assert debarment_name_key("Smith, John") == debarment_name_key("JOHN SMITH")
    assert debarment_name_key("Acme Farms, L.L.C.") == debarment_name_key("ACME FARMS")


@pytest.mark.parametrize(
    ("status", "raised"),
    [("denied", True), ("withdrawn", True), ("certified", False), ("partial", False),
     ("expired", False), (None, False)],
)  # fmt: skip
def test_a_hire_under_a_job_order_not_certified_is_a_finding(
    status: str | None, raised: bool
) -> None:
    case = clean_case()
    case = replace(case, job_order=replace(case.job_order, case_status=status))
    findings = job_order_not_certified(case, AS_OF, REFERENCE)
    assert bool(findings) is raised
    if raised:
        assert findings[0].evidence["case_status"] == status
        assert findings[0].evidence["hire_id"] == str(case.hire.id)  # type: ignore[union-attr]


def test_a_denied_job_order_with_neither_hire_nor_contract_is_no_finding() -> None:
    case = clean_case(hire=None, contracts=())
    case = replace(case, job_order=replace(case.job_order, case_status="denied"))
    assert job_order_not_certified(case, AS_OF, REFERENCE) == []
