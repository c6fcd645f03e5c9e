"""Values written as each language writes them, and the models that keep personal data out."""

import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import Language
from recruitment.rendering import DEFAULT_CONTRACTS_DIR, PANGO_PACKAGES, IdentityDocument
from recruitment.rendering.formatting import LanguageFormat
from recruitment.rendering.texts import load_texts, names, writing_conventions


def _format(language: Language) -> LanguageFormat:
    texts = load_texts()[language]
    return LanguageFormat(language, writing_conventions(texts), names(texts, "countries"))


@pytest.mark.parametrize(
    ("language", "written"),
    [("es", "4 de julio de 2025"), ("ht", "4 jiyè 2025"), ("en", "July 4, 2025")],
)
def test_dates_are_written_out_in_the_language(language: Language, written: str) -> None:
    assert _format(language).date(date(2025, 7, 4)) == written


def test_kreyol_months_come_from_the_texts_whatever_cldr_says() -> None:
    kreyol = _format("ht")

    assert [kreyol.date(date(2025, month, 1)) for month in (3, 7, 8)] == [
        "1 mas 2025",
        "1 jiyè 2025",
        "1 out 2025",
    ]
    assert kreyol.country("MX") == "Meksik"


def test_staff_decide_how_dates_and_money_are_written_in_the_texts_file(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(DEFAULT_CONTRACTS_DIR, contracts)
    ht = contracts / "texts" / "ht.toml"
    edited = (
        ht.read_text(encoding="utf-8")
        .replace('date = "{day} {month} {year}"', 'date = "{year}, {day} {month}"')
        .replace('"mas",', '"mas (3)",')
        .replace('decimal_separator = ","', 'decimal_separator = "."')
        .replace('pattern = "{amount}\\u00a0{symbol}"', 'pattern = "{symbol} {amount}"')
        .replace('USD = "$US"', 'USD = "dola ameriken"')
    )
    ht.write_text(edited, encoding="utf-8")
    texts = load_texts(contracts)["ht"]
    kreyol = LanguageFormat("ht", writing_conventions(texts), names(texts, "countries"))

    assert kreyol.date(date(2027, 3, 1)) == "2027, 1 mas (3)"
    assert kreyol.money(Money(amount=1700, currency="USD")) == "dola ameriken 17.00"
    assert kreyol.number(37.5) == "37.5"


@pytest.mark.parametrize(
    ("language", "written"),
    [("es", "40 y 37.5 y 1,250"), ("ht", "40 y 37,5 y 1\xa0250"), ("en", "40 y 37.5 y 1,250")],
)
def test_numbers_keep_their_decimals_in_the_languages_separators(
    language: Language, written: str
) -> None:
    formats = _format(language)

    assert " y ".join(formats.number(value) for value in (40, 37.5, 1250)) == written


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


@pytest.mark.parametrize(
    ("language", "written"),
    [("es", "COP\xa0150.50"), ("ht", "150,50\xa0COP"), ("en", "COP\xa0150.50")],
)
def test_a_currency_the_texts_dont_name_is_written_with_its_code_and_its_cents(
    language: Language, written: str
) -> None:
    # 15050 is what a roster's "150.50" becomes; CLDR counts Colombian pesos without cents.
    assert _format(language).money(Money(amount=15050, currency="COP")) == written


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
