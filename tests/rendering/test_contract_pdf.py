"""The contract PDF: what a worker reads in it, in each language, and that it is reproducible."""

import io
import re
from collections.abc import Callable

import pypdf
import pytest

from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import Language
from recruitment.rendering import (
    ContractDocument,
    ContractRenderer,
    RenderingTimeout,
    render_contract_html,
    render_pdf,
)

from .documents import COMPLAINT_LINE, FULL_CURP

# How each language writes the hourly wage, $16.23, and the meal deduction, $15.46.
WAGE = {"es": "USD 16.23 por hora", "ht": "16,23 $US pa èdtan", "en": "$16.23 per hour"}
MEALS = {"es": "USD 15.46", "ht": "15,46 $US", "en": "$15.46"}
NOT_STATED = {
    "es": "no lo dice la orden de trabajo",
    "ht": "lòd travay la pa di sa",
    "en": "not stated in the job order",
}


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of whitespace (line breaks, no-break spaces) as one space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def short_pdfs(make_document: Callable[..., ContractDocument]) -> dict[Language, bytes]:
    return {language: render_pdf(make_document(language)) for language in ("es", "ht", "en")}


@pytest.fixture(scope="module")
def long_pdf(make_document: Callable[..., ContractDocument]) -> bytes:
    return render_pdf(make_document("ht", long=True))


@pytest.mark.parametrize("language", ["es", "ht", "en"])
def test_contract_names_worker_wage_deduction_and_complaint_line(
    short_pdfs: dict[Language, bytes], language: Language
) -> None:
    text = pdf_text(short_pdfs[language])

    assert "Juan Gómez Martínez" in text
    assert WAGE[language] in text
    assert "Comidas" in text
    assert MEALS[language] in text
    assert COMPLAINT_LINE in text
    assert "K7QM-42XD" in text


def test_spanish_and_kreyol_letters_survive_into_the_pdf(
    short_pdfs: dict[Language, bytes],
) -> None:
    assert "¿" not in pdf_text(short_pdfs["en"])
    spanish = pdf_text(short_pdfs["es"])
    kreyol = pdf_text(short_pdfs["ht"])

    for word in ("Página 1 de", "garantía", "Nacionalidad", "México", "Dirección", "compañía"):
        assert word.lower() in spanish.lower(), word
    for word in ("Paj 1 sou", "Kòd verifikasyon", "rekritè", "pèsonn", "14 fevriye 2025"):
        assert word in kreyol, word


def test_only_the_masked_identity_document_is_printed(short_pdfs: dict[Language, bytes]) -> None:
    for language, pdf in short_pdfs.items():
        text = pdf_text(pdf)
        assert FULL_CURP not in text, language
        assert FULL_CURP[:10] not in text, language
        assert "CURP ****RN09" in text, language


def test_long_job_order_lists_every_piece_rate_and_deduction(
    long_pdf: bytes, make_document: Callable[..., ContractDocument]
) -> None:
    document = make_document("ht", long=True)
    text = pdf_text(long_pdf)

    assert len(document.terms.piece_rates) == 40
    assert len(document.terms.deductions) == 15
    for piece in document.terms.piece_rates:
        assert piece.crop_or_activity in text
    for deduction in document.terms.deductions:
        assert deduction.description in text
    assert "25,13 $US" in text
    assert "Paj 1 sou" in text
    assert page_count(long_pdf) >= 7
    # Owed costs, each with its deadline written in Kreyòl.
    assert "185,00 $US" in text
    assert "7 mas 2025" in text
    assert "2 450,00 $MX" in text


@pytest.mark.parametrize("language", ["es", "ht", "en"])
def test_missing_optional_terms_read_as_not_stated_never_none(
    make_document: Callable[..., ContractDocument], language: Language
) -> None:
    document = make_document(language).model_copy(
        update={"terms": JobOrderTerms(), "wage_floor": None, "recruitment_chain": ()}
    )

    html = render_contract_html(document)
    text = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])

    assert NOT_STATED[language] in text
    assert "None" not in text


def test_same_document_gives_byte_identical_pdfs(
    short_pdfs: dict[Language, bytes], make_document: Callable[..., ContractDocument]
) -> None:
    assert render_pdf(make_document("es")) == short_pdfs["es"]


async def test_process_pool_renders_the_same_bytes_as_this_process(
    short_pdfs: dict[Language, bytes], make_document: Callable[..., ContractDocument]
) -> None:
    renderer = ContractRenderer(max_workers=1)
    try:
        pdf = await renderer.render(make_document("es"))
    finally:
        renderer.close()

    assert pdf == short_pdfs["es"]


async def test_a_render_slower_than_the_timeout_raises_rendering_timeout(
    make_document: Callable[..., ContractDocument],
) -> None:
    renderer = ContractRenderer(max_workers=1, timeout_seconds=0.01)
    try:
        with pytest.raises(RenderingTimeout):
            await renderer.render(make_document("en"))
    finally:
        renderer.close()
