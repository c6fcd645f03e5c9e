"""UNLAWFUL_DEDUCTION on the words job orders use. The quoted texts are the DEDUCTIONS_FROM_PAY of
job orders in OFLC's H-2A disclosure data for FY2022 Q1 (public; the importer stores the field as
one deduction's basis, as here), where FICA, housing, tools, the visa and recruitment are named
in ways that state no forbidden deduction, and in ways that do."""

from dataclasses import replace

import pytest

from recruitment.domain.terms import Deduction
from recruitment.verification import packaged_reference
from recruitment.verification.deductions import unlawful_deduction

from .factories import AS_OF, clean_case, clean_terms

AS_FILED = "Deductions from pay, as filed with DOL"


def kinds_found(*deductions: Deduction) -> list[str]:
    """The kinds of forbidden deduction found in a job order stating these deductions."""
    case = clean_case()
    terms = clean_terms(deductions=list(deductions))
    case = replace(case, job_order=replace(case.job_order, terms=terms))
    [finding] = unlawful_deduction(case, AS_OF, packaged_reference()) or [None]
    if finding is None:
        return []
    problems = finding.evidence["problems"]
    assert isinstance(problems, list)
    return [str(problem["kind"]) for problem in problems if isinstance(problem, dict)]


def as_filed(text: str) -> Deduction:
    return Deduction(description=AS_FILED, basis=text)


@pytest.mark.parametrize(
    "text",
    [
        # Only where the law requires it, from U.S. workers, or not from H-2A workers.
        "DEDUCTIONS. Employer will make all deductions required by law (e.g., FICA, federal/state "
        "tax withholdings, court-ordered child support, etc.).",
        "The employer will make the following deductions from the worker's wages:  FICA, Medicare "
        "and income taxes as required by law (unlike U.S. workers, foreign H-2A workers are not "
        "subject to payroll tax deductions for FICA, Medicare or federal withholding.)",
        "The deductions from pay are taxes (if applicable under Federal, State and local law from "
        "U.S. workers), FICA taxes, Federal Income Taxes withholding, and willful destruction of "
        "property.",
        "FICA, state and federal taxes will not be deducted from those worker's wages that are "
        "working under a temporary, agricultural visa unless required by internal revenue service "
        "or requested by the worker.",
        "The employer will make the following deductions as applicable: FICA (x) Federal taxes (x) "
        "State taxes, court ordered child support",
        "Seguro social: no se descontará a los trabajadores con visa H-2A.",
        # Housing, tools and equipment the worker damaged, or provided at no charge.
        "Personal telephone use. When it can be shown that damage to housing, tools and/or "
        "equipment caused by the worker was other than normal wear and tear, the cost of repair.",
        "Reasonable repair costs of damage to housing other than that caused by normal wear and "
        "tear.",
        "Employer will provide all necessary tools, clothing, PPE and equipment at no charge.",
        # The visa as the workers' status; recruitment fees as forbidden.
        "Pursuant to 20 CFR § 655.135(j)–(k), employer prohibits the solicitation and payment of "
        "recruitment fees by workers.",
    ],
)
def test_wording_that_states_no_forbidden_deduction_is_not_a_finding(text: str) -> None:
    assert kinds_found(as_filed(text)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Taken from every worker's wages: an H-2A worker's too.
        (
            "Social Security, Federal and State Income Tax withholding's may be deducted from "
            "wages.",
            "fica",
        ),
        (
            "The employer will make the following deductions: FICA taxes, income tax, cash "
            "advances, overpayment of wages.",
            "fica",
        ),
        ("Seguro social 7.65% del salario bruto", "fica"),
        ("Rent: $50 a week for the bunkhouse", "housing"),
        # A damaged-tools clause elsewhere does not cover the rent.
        (
            "Housing: $60 a week. Breakage of tools caused by the worker will be deducted at "
            "replacement cost.",
            "housing",
        ),
        ("Gloves and pruning shears (tools), $25 at hire", "tools_and_equipment"),
        (
            "Visa fee and bus fare to the border, repaid from the first checks",
            "visa_travel_and_recruitment",
        ),
    ],
)
def test_a_forbidden_deduction_stated_is_a_finding(text: str, kind: str) -> None:
    assert kinds_found(as_filed(text)) == [kind]


def test_a_lawful_mention_does_not_hide_a_forbidden_one_of_the_same_kind() -> None:
    text = (
        "FICA for U.S. workers as required by law. Other deductions: cash advances. "
        "Every worker's pay: Social Security 6.2% and Medicare 1.45% of gross wages, weekly."
    )
    assert kinds_found(as_filed(text)) == ["fica"]
