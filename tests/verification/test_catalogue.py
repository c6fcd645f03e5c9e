import json
import tomllib
from importlib import resources

import pytest

from recruitment.domain.vocabulary import LANGUAGES
from recruitment.verification import (
    FLAG_CODES,
    RULES,
    CatalogueError,
    catalogue,
    catalogue_document,
    parse_catalogue,
)

# DESIGN.md, "Flags (the verification catalogue)".
DESIGNED_SEVERITIES = {
    "RECRUITMENT_FEE_CHARGED": "critical",
    "WORKER_BORE_RELATED_COST": "violation",
    "REIMBURSEMENT_OVERDUE": "violation",
    "NON_SNE_CHANNEL": "violation",
    "SNE_CHANNEL_UNVERIFIED": "warning",
    "NOT_DIRECT_HIRE": "violation",
    "SUBCONTRACTING_LAYERS": "violation",
    "UNVERIFIED_LABOR_CONTRACTOR": "violation",
    "CONTRACTOR_REGISTRATION_EXPIRED": "violation",
    "CONTRACTOR_ACTIVITY_NOT_AUTHORIZED": "violation",
    "RECRUITER_AGREEMENT_LACKS_FEE_BAN": "violation",
    "CONTRACT_NOT_DISCLOSED_BEFORE_VISA": "violation",
    "CONTRACT_LANGUAGE_MISMATCH": "violation",
    "TERMS_INCOMPLETE": "violation",
    "WAGE_BELOW_FLOOR": "violation",
    "DUPLICATE_IDENTITY": "warning",
    "CONTRACT_DUE_BEFORE_VISA": "warning",
    "WAGE_FLOOR_UNKNOWN": "warning",
    "WAGE_NOT_IN_USD": "violation",
    "UNLAWFUL_DEDUCTION": "violation",
    "MEAL_CHARGE_MAXIMUM_UNKNOWN": "warning",
    # Issue 15: complaints.
    "FOUNDED_COMPLAINT": "violation",
    "POSSIBLE_RETALIATION": "warning",
    # Issue 14: the case status and the H-2A debarment list.
    "JOB_ORDER_NOT_CERTIFIED": "violation",
    "DEBARRED_PARTY": "critical",
    "POSSIBLE_DEBARRED_PARTY": "warning",
}


def _packaged_text() -> str:
    return (
        resources.files("recruitment.verification")
        .joinpath("catalogue.toml")
        .read_text(encoding="utf-8")
    )


def test_the_catalogue_has_the_designed_codes_and_severities() -> None:
    assert {code: entry.severity for code, entry in catalogue().items()} == DESIGNED_SEVERITIES
    assert tuple(catalogue()) == FLAG_CODES


def test_every_code_has_a_rule() -> None:
    assert tuple(RULES) == FLAG_CODES


@pytest.mark.parametrize("code", FLAG_CODES)
def test_every_code_has_a_title_and_explanation_in_each_language(code: str) -> None:
    entry = catalogue()[code]  # type: ignore[index]
    assert entry.source
    for language in LANGUAGES:
        text = entry.texts[language]
        assert text.title.strip()
        assert len(text.explanation) > len(text.title)


def test_the_languages_are_really_translated() -> None:
    for entry in catalogue().values():
        titles = {entry.texts[language].title for language in LANGUAGES}
        assert len(titles) == len(LANGUAGES), entry.code


def test_a_missing_translation_is_refused() -> None:
    document = tomllib.loads(_packaged_text())
    del document["TERMS_INCOMPLETE"]["ht"]
    document["NOT_DIRECT_HIRE"]["es"]["explanation"] = " "
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(_to_toml(document))
    assert error.value.problems == (
        "NOT_DIRECT_HIRE.es: 'explanation' is missing or empty",
        "TERMS_INCOMPLETE: no texts in 'ht'",
    )


def test_an_unknown_code_or_severity_is_refused() -> None:
    document = tomllib.loads(_packaged_text())
    document["NEW_CODE"] = document["NON_SNE_CHANNEL"]
    document["DUPLICATE_IDENTITY"]["severity"] = "minor"
    with pytest.raises(CatalogueError, match=r"NEW_CODE: not a flag code.*'minor'"):
        parse_catalogue(_to_toml(document))


def test_the_catalogue_document_is_plain_json() -> None:
    document = catalogue_document()
    assert json.loads(json.dumps(document)) == document
    assert document[0]["code"] == "RECRUITMENT_FEE_CHARGED"
    assert set(document[0]["texts"]) == set(LANGUAGES)  # type: ignore[arg-type]


def _to_toml(document: dict[str, dict[str, object]]) -> str:
    """Just enough TOML writing for the catalogue's shape: tables of strings and sub-tables."""
    lines = []
    for code, table in document.items():
        lines.append(f"[{code}]")
        lines += [
            f"{key} = {json.dumps(value)}" for key, value in table.items() if isinstance(value, str)
        ]
        for language, texts in table.items():
            if isinstance(texts, dict):
                lines.append(f"[{code}.{language}]")
                lines += [f"{key} = {json.dumps(value)}" for key, value in texts.items()]
    return "\n".join(lines)
