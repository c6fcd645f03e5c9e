"""Page 1 of a contract is what a worker reads, often on a phone: the facts that matter to them,
the complaint line and the QR code; the legal detail follows. Page 1 of each language is saved as
an image at phone size in test-artifacts/contracts/ for people to look at."""

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from recruitment.domain.vocabulary import Language
from recruitment.rendering import ContractDocument, render_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "contracts"
# What page 1 must say, in each language's words.
PAGE_ONE: dict[Language, tuple[str, ...]] = {
    "es": ("Usted nunca paga", "3/4", "7.5 horas al día", "Gratis", "Immokalee, FL 34142"),
    "ht": ("Ou pa janm peye", "3/4", "7,5 èdtan pa jou", "Gratis", "Immokalee, FL 34142"),
    "en": ("You never pay", "3/4", "7.5 hours a day", "Free", "Immokalee, FL 34142"),
}


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("language", ["es", "ht", "en"])
def test_page_one_gives_the_worker_the_terms_the_complaint_line_and_the_qr_code(
    make_document: Callable[..., ContractDocument], language: Language
) -> None:
    document = make_document(language)
    pdf = render_pdf(document)
    first, *rest = page_texts(pdf)
    for expected in PAGE_ONE[language]:
        assert expected in first, expected
    terms = document.terms
    assert terms.job_title is not None
    assert terms.job_title in first
    assert "+1 (239) 555-0188" in first, "the employer's phone"
    assert document.program.complaint_line in first
    assert document.verification_code in first
    assert "Trabajador agrícola" in first
    assert document.grower.fein not in first, "the FEIN is legal detail, for page 2"
    assert terms.case_number is not None
    assert terms.case_number not in first
    last = rest[-1]
    assert len(last) > 400, "the last page holds more than the verification block"
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # 50 dpi makes a Letter page 425 pixels wide: a phone's screen.
        subprocess.run(  # noqa: S603 - poppler's pdftoppm, fixed arguments
            [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", "-",
             str(ARTIFACTS / f"page-one-{language}")],
            input=pdf, check=True,
        )  # fmt: skip
        assert (ARTIFACTS / f"page-one-{language}.png").stat().st_size > 10_000
