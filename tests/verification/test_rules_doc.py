from pathlib import Path

import pytest

from recruitment.verification import FLAG_CODES, CatalogueError
from recruitment.verification.rules_doc import declarations, parse_declarations, render_rules_doc

RULES_PAGE = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_the_rules_page_is_generated_from_the_declarations() -> None:
    assert RULES_PAGE.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/rules.md is stale: python -m recruitment.verification.rules_doc > docs/rules.md"
    )


def test_every_flag_code_is_declared_and_on_the_page() -> None:
    page = render_rules_doc()
    assert tuple(declarations()) == FLAG_CODES
    for code in FLAG_CODES:
        assert f"## {code}\n" in page


def test_a_code_without_a_declaration_or_with_an_empty_field_is_refused() -> None:
    text = "\n".join(
        f'[{code}]\nraised_when = "x"\njudged_on = "y"\ncleared_when = "z"'
        for code in FLAG_CODES[1:]
    )
    text = text.replace('cleared_when = "z"', 'cleared_when = " "', 1)
    with pytest.raises(CatalogueError) as refused:
        parse_declarations(text + '\n[NOT_A_CODE]\nraised_when = "x"')
    problems = refused.value.problems
    assert f"{FLAG_CODES[0]}: no declaration in rules.toml" in problems
    assert f"{FLAG_CODES[1]}: cleared_when missing or empty" in problems
    assert "NOT_A_CODE: not a flag code" in problems
