"""The wording files: every key in every language, the same placeholders, every label."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from recruitment.rendering import (
    DEFAULT_CONTRACTS_DIR,
    ContractDocument,
    RenderingFailed,
    TextsInvalid,
    missing_keys,
    render_pdf,
    text_problems,
)
from recruitment.rendering.texts import load_texts


@pytest.fixture
def contracts_copy(tmp_path: Path) -> Path:
    """A copy of contracts/ to break."""
    copy = tmp_path / "contracts"
    shutil.copytree(DEFAULT_CONTRACTS_DIR, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_text_key_exists_in_all_three_languages() -> None:
    assert missing_keys() == {"es": [], "ht": [], "en": []}
    assert text_problems() == []


def test_a_missing_translation_is_named_and_stops_rendering(
    contracts_copy: Path, make_document: Callable[..., ContractDocument]
) -> None:
    _edit(contracts_copy / "texts" / "ht.toml", 'rate = "Peman"\n', "")

    assert missing_keys(contracts_copy) == {"es": [], "ht": ["contract.pay.rate"], "en": []}
    with pytest.raises(TextsInvalid, match=r"ht: missing contract\.pay\.rate"):
        load_texts(contracts_copy)
    with pytest.raises(RenderingFailed, match=r"ht: missing contract\.pay\.rate"):
        render_pdf(make_document("es"), contracts_copy)


def test_a_placeholder_lost_in_translation_is_a_problem(contracts_copy: Path) -> None:
    _edit(contracts_copy / "texts" / "es.toml", "Hola, {name}.", "Hola.")

    assert any(
        problem.startswith("worker_page.greeting: placeholders differ")
        for problem in text_problems(contracts_copy)
    )


def test_every_vocabulary_value_needs_a_label(contracts_copy: Path) -> None:
    for language in ("es", "ht", "en"):
        path = contracts_copy / "texts" / f"{language}.toml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join(line for line in lines if not line.startswith("agent = ")), encoding="utf-8"
        )

    assert missing_keys(contracts_copy) == {"es": [], "ht": [], "en": []}
    assert "es: missing labels.intermediary_kind.agent" in text_problems(contracts_copy)


def test_a_date_pattern_without_the_day_is_a_problem(contracts_copy: Path) -> None:
    for language, pattern in (
        ("es", "{day} de {month} de {year}"),
        ("ht", "{day} {month} {year}"),
        ("en", "{month} {day}, {year}"),
    ):
        _edit(contracts_copy / "texts" / f"{language}.toml", pattern, "{month} {year}")

    assert "ht: calendar.date must name {day}, {month}, {year} and nothing else" in text_problems(
        contracts_copy
    )
