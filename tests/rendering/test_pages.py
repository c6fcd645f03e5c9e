"""The worker's page and the public verification page."""

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, ValidationError

from recruitment.domain.terms import Money
from recruitment.rendering import (
    ContractDocument,
    LanguageLink,
    VerificationOutcome,
    VerifiedContract,
    VerifyPageContext,
    WorkerPageContext,
    WorkerParty,
    render_verify_page,
    render_worker_page,
)

from .documents import FULL_CURP


def _worker_page(
    make_document: Callable[..., ContractDocument], **changes: object
) -> WorkerPageContext:
    return WorkerPageContext(
        document=make_document(changes.pop("language", "es"), **changes),
        pdf_url="/c/t0k3n/contract.pdf",
        confirm_url="/c/t0k3n/receipt",
    )


def _verified(document: ContractDocument) -> VerifiedContract:
    return VerifiedContract(
        grower_legal_name=document.grower.legal_name,
        grower_trade_name=document.grower.trade_name,
        job_title=document.terms.job_title,
        period_start=document.terms.period_start,
        period_end=document.terms.period_end,
        wage_offer=document.terms.wage_offer,
        wage_unit=document.terms.wage_unit,
        job_order_number=document.terms.job_order_number,
        job_order_version=document.job_order_version,
        issued_at=document.issued_at,
        language=document.language,
    )


def test_worker_page_offers_the_pdf_and_a_receipt_button(
    make_document: Callable[..., ContractDocument],
) -> None:
    html = render_worker_page(_worker_page(make_document, language="ht"))

    assert '<html lang="ht">' in html
    assert "Bonjou, Juan Gómez Martínez." in html
    assert 'href="/c/t0k3n/contract.pdf"' in html
    assert '<form method="post" action="/c/t0k3n/receipt">' in html
    assert "16,23\xa0$US pa èdtan" in html
    assert 'href="tel:+12395550142"' in html
    assert FULL_CURP not in html


def test_worker_page_shows_when_receipt_was_confirmed(
    make_document: Callable[..., ContractDocument],
) -> None:
    page = _worker_page(make_document).model_copy(
        update={"receipt_confirmed_at": datetime(2025, 2, 15, 9, 30, tzinfo=UTC)}
    )

    html = render_worker_page(page)

    assert "Usted confirmó que lo recibió el 15 de febrero de 2025." in html
    assert "<form" not in html


def test_worker_page_escapes_what_it_is_given(
    make_document: Callable[..., ContractDocument],
) -> None:
    html = render_worker_page(_worker_page(make_document, worker_name="<script>x()</script>"))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_worker_page_links_must_not_run_script(
    make_document: Callable[..., ContractDocument],
) -> None:
    with pytest.raises(ValidationError):
        WorkerPageContext(
            document=make_document("es"), pdf_url="javascript:alert(1)", confirm_url="/ok"
        )


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        names.add(name)
        for argument in getattr(field.annotation, "__args__", (field.annotation,)):
            if isinstance(argument, type) and issubclass(argument, BaseModel):
                names |= _field_names(argument)
    return names


def test_verify_page_context_cannot_carry_worker_data() -> None:
    fields = _field_names(VerifyPageContext)

    assert "contract" in fields
    assert not any("worker" in name for name in fields)
    assert not fields & set(WorkerParty.model_fields)
    assert not fields & {"identity_document", "last_characters", "owed_costs", "full_name"}


@pytest.mark.parametrize(
    ("outcome", "shown"),
    [
        ("current", "Auténtico y vigente"),
        ("superseded", "Auténtico, pero reemplazado"),
        ("not_found", "No encontrado"),
    ],
)
def test_verify_page_tells_the_outcome(
    make_document: Callable[..., ContractDocument], outcome: VerificationOutcome, shown: str
) -> None:
    document = make_document("es")
    page = VerifyPageContext(
        language="es",
        code="K7QM-42XD",
        outcome=outcome,
        contract=None if outcome == "not_found" else _verified(document),
        program=document.program,
        other_languages=(LanguageLink(language="ht", url="/verify/K7QM-42XD?lang=ht"),),
    )

    html = render_verify_page(page)

    assert shown in html
    assert ("Sunshine Farms LLC" in html) is (outcome != "not_found")
    assert "Juan" not in html
    assert ">Kreyòl ayisyen</a>" in html


def test_verify_page_dates_and_wage_are_in_the_page_language(
    make_document: Callable[..., ContractDocument],
) -> None:
    document = make_document("es")
    page = VerifyPageContext(
        language="ht",
        code="K7QM-42XD",
        outcome="current",
        contract=_verified(document).model_copy(
            update={
                "period_start": date(2025, 7, 1),
                "wage_offer": Money(amount=1623, currency="USD"),
            }
        ),
        program=document.program,
    )

    html = render_verify_page(page)

    assert "depi 1 jiyè 2025 rive 30 jen 2025" in html
    assert "16,23\xa0$US pa èdtan" in html
    assert "Se yon vre, epi li an vigè" in html


def test_a_found_contract_needs_its_details(make_document: Callable[..., ContractDocument]) -> None:
    with pytest.raises(ValidationError):
        VerifyPageContext(
            language="en",
            code="K7QM-42XD",
            outcome="current",
            program=make_document("en").program,
        )
