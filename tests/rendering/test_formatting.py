"""Values written as each language writes them, and the models that keep personal data out."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import Language
from recruitment.rendering import PANGO_PACKAGES, IdentityDocument
from recruitment.rendering.formatting import LanguageFormat
from recruitment.rendering.texts import load_texts, month_names, names


def _format(language: Language) -> LanguageFormat:
    texts = load_texts()[language]
    return LanguageFormat(language, month_names(texts), names(texts, "countries"))


@pytest.mark.parametrize(
    ("language", "written"),
    [("es", "4 de julio de 2025"), ("ht", "4 jiyè 2025"), ("en", "July 4, 2025")],
)
def test_dates_are_written_out_in_the_language(language: Language, written: str) -> None:
    assert _format(language).date(date(2025, 7, 4)) == written


def test_kreyol_months_come_from_the_texts_because_cldr_has_only_french_ones() -> None:
    kreyol = _format("ht")

    assert [kreyol.date(date(2025, month, 1)).split()[1] for month in (3, 7, 8)] == [
        "mas",
        "jiyè",
        "out",
    ]
    assert kreyol.country("MX") == "Meksik"


@pytest.mark.parametrize(
    ("language", "usd", "mxn"),
    [
        ("es", "USD\xa01,623.45", "MXN\xa02,450.00"),
        ("ht", "1\xa0623,45\xa0$US", "2\xa0450,00\xa0$MX"),
        ("en", "$1,623.45", "MX$2,450.00"),
    ],
)
def test_money_says_which_dollar_or_peso_it_is(language: Language, usd: str, mxn: str) -> None:
    formats = _format(language)

    assert formats.money(Money(amount=162345, currency="USD")) == usd
    assert formats.money(Money(amount=245000, currency="MXN")) == mxn


def test_time_of_issue_is_in_utc() -> None:
    issued = datetime(2025, 2, 14, 16, 5, tzinfo=UTC)

    assert _format("ht").time(issued) == "16:05"
    assert _format("en").time(issued).replace("\u202f", " ") == "4:05 PM"


def test_identity_numbers_are_masked_before_they_reach_the_renderer() -> None:
    assert IdentityDocument.masked("curp", "GOMJ850312HMCRRN09").last_characters == "RN09"
    assert IdentityDocument.masked("passport", "g 1234 5678").last_characters == "678"
    with pytest.raises(ValidationError):
        IdentityDocument(kind="curp", last_characters="GOMJ850312HMCRRN09")


def test_the_package_imports_without_weasyprint_and_names_what_to_install() -> None:
    repo = Path(__file__).resolve().parents[2]
    script = (
        "import sys\n"
        "sys.modules['weasyprint'] = None  # as on a machine without Pango\n"
        "import recruitment.rendering as rendering\n"
        "from tests.rendering.documents import make_document\n"
        "try:\n"
        "    rendering.render_pdf(make_document('es'))\n"
        "except rendering.RenderingUnavailable as error:\n"
        "    print(error)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(repo)}

    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", script],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert PANGO_PACKAGES in result.stdout
