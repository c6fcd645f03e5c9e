"""Contracts: rendered once, stored immutable, delivered, opened by the worker, verifiable by all.

A contract is the job order's terms as one worker must receive them before the visa application
(20 CFR 655.122(q)), in their language. Serving it never renders it again: the stored PDF is what
the worker got, and its SHA-256 and verification code prove it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.terms import JobOrderTerms, Money
from recruitment.domain.vocabulary import FEE_CATEGORIES, Language
from recruitment.errors import (
    Conflict,
    FieldProblem,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
)
from recruitment.models import (
    ChainLink,
    Contract,
    ContractDelivery,
    Cost,
    Grower,
    Hire,
    Intermediary,
    JobOrder,
    JobOrderVersion,
    Recruitment,
    Worker,
)
from recruitment.rendering import (
    ContractDocument,
    ContractRenderer,
    GrowerParty,
    IdentityDocument,
    LanguageLink,
    OwedCost,
    Program,
    RecruitmentChainEntry,
    RenderingError,
    RenderingUnavailable,
    TermsOverride,
    VerifiedContract,
    VerifyPageContext,
    WageFloor,
    WorkerPageContext,
    WorkerParty,
)
from recruitment.schemas.contracts import (
    ContractIssue,
    ContractIssueAudited,
    ContractIssued,
    ContractRead,
    DeliveryCreate,
    DeliveryRead,
)
from recruitment.services import audit, cases, contract_audio, costs, flags, workers
from recruitment.services.caller import Caller
from recruitment.settings import Settings, is_loopback_url
from recruitment.verification import (
    Finding,
    FlagCode,
    catalogue,
    first_day_of_work,
    reimbursement_deadline,
    terms_findings,
    wage_floor_assessment,
)

# Where to report a contract that is not genuine when the program has not set its own line.
WAGE_AND_HOUR_DIVISION = Program(
    name="U.S. Department of Labor, Wage and Hour Division", complaint_line="1-866-487-9243"
)
# Crockford's base32 without look-alikes: a code read aloud over the phone survives it.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class Publication:
    """Where and under whose name contracts are published (from the settings)."""

    program_name: str
    complaint_line: str | None
    public_base_url: str

    def verification_url(self, code: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/verify/{code}"

    def worker_link(self, token: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/c/{token}"

    @property
    def local_only_warning(self) -> str | None:
        """What to say when the links and QR codes lead to this machine only: useless to a
        worker, who opens them on a phone."""
        if not is_loopback_url(self.public_base_url):
            return None
        return (
            f"Contract links and QR codes point at {self.public_base_url}, which only the "
            "service's own machine can open: set RECRUITMENT_PUBLIC_BASE_URL to the address "
            "workers reach the service at."
        )

    @classmethod
    def of(cls, settings: Settings) -> "Publication":
        return cls(settings.program_name, settings.complaint_line, settings.public_base_url)


def renderer_for(settings: Settings) -> ContractRenderer:
    return ContractRenderer(
        max_workers=settings.renderer_processes,
        timeout_seconds=settings.render_timeout_seconds,
        contracts_dir=settings.contracts_dir,
    )


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def new_verification_code() -> str:
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{symbols[:4]}-{symbols[4:]}"


class TermsNeedFixing(Conflict):
    """The job-order version has open findings on its terms: a contract would state them to the
    worker as lawful. `problems` lists what to fix; staff may override with a written reason."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        problems = tuple(_what_to_fix(finding) for finding in findings)
        to_fix = " ".join(
            f"{problem.field.rsplit('.', 1)[1]}: {problem.message}" for problem in problems
        )
        super().__init__(
            f"The job order's terms have open findings. {to_fix} Fix the terms (a new version), "
            "or, as program staff, issue with an override_reason."
        )
        self.problems = problems


def _finding_title(code: str, language: Language) -> str:
    """The catalogue's title for a code stored on a contract; the code itself if the catalogue
    no longer has it, so that an old contract's page still opens."""
    entry = catalogue().get(cast(FlagCode, code))
    return entry.texts[language].title if entry else code


def _what_to_fix(finding: Finding) -> FieldProblem:
    title = catalogue()[finding.code].texts["en"].title
    items = finding.evidence.get("problems")
    detail = ""
    if isinstance(items, list):
        detail = ": " + "; ".join(
            f"{item.get('item') or item.get('kind')} ({item.get('source')})"
            for item in items
            if isinstance(item, dict)
        )
    return FieldProblem(f"job_order.terms.{finding.code}", f"{title}{detail}.")


async def _open_terms_findings(
    session: AsyncSession, recruitment: Recruitment
) -> tuple[Finding, ...]:
    """The findings the rules make today about the terms this contract would state."""
    (case,) = await cases.load_facts(session, [recruitment.id])
    return terms_findings(case, clock.today(), await cases.load_reference(session))


async def check_terms_issuable(
    session: AsyncSession, caller: Caller, job_order_id: UUID, override_reason: str | None
) -> None:
    """Refuse to issue a job order's contracts while its terms have open findings, unless staff
    override them with a reason (the same check as for one contract, before a job is queued)."""
    if override_reason is not None:
        caller.require_staff("issue contracts over open findings on their terms")
    recruitment = (
        await session.exec(
            select(Recruitment).where(Recruitment.job_order_id == job_order_id).limit(1)
        )
    ).first()
    if recruitment is None:
        return
    findings = await _open_terms_findings(session, recruitment)
    if findings and override_reason is None:
        raise TermsNeedFixing(findings)


def contract_read(contract: Contract, publication: Publication) -> ContractRead:
    return ContractRead.model_validate(
        {
            **contract.model_dump(exclude={"pdf", "document", "token_digest"}),
            "verification_url": publication.verification_url(contract.verification_code),
            "pdf_url": f"/contracts/{contract.id}/pdf",
        }
    )


async def _recruitment_for(
    session: AsyncSession, caller: Caller, worker: Worker, job_order_id: UUID | None
) -> Recruitment:
    query = select(Recruitment).where(
        Recruitment.worker_id == worker.id, caller.scope(col(Recruitment.grower_id))
    )
    if job_order_id is not None:
        query = query.where(Recruitment.job_order_id == job_order_id)
    found = list(await session.exec(query.with_for_update()))
    if not found:
        raise NotFound("This worker has no recruitment for that job order.")
    if len(found) > 1:
        raise InvalidInput.of_field(
            "job_order_id", "The worker is recruited for several job orders: name one."
        )
    return found[0]


async def _document(
    session: AsyncSession,
    recruitment: Recruitment,
    worker: Worker,
    language: Language,
    publication: Publication,
    code: str,
    issued_at: datetime,
    caller: Caller,
    untranslated_reason: str | None,
) -> tuple[ContractDocument, int]:
    grower = await session.get(Grower, recruitment.grower_id)
    job_order = await session.get(JobOrder, recruitment.job_order_id)
    assert grower is not None
    assert job_order is not None
    if grower.fein is None:
        # The contract names the employer by its FEIN; a grower imported from DOL disclosure
        # data has none until staff add it.
        raise InvalidInput.of_field(
            "grower.fein",
            f"Grower {grower.id} ({grower.legal_name}) has no FEIN on record: staff must add it "
            f"(PATCH /growers/{grower.id}) before a contract can be issued.",
        )
    version = (
        await session.exec(
            select(JobOrderVersion).where(
                JobOrderVersion.job_order_id == job_order.id,
                JobOrderVersion.number == job_order.current_version,
            )
        )
    ).one()
    written = JobOrderTerms.model_validate(version.terms)
    untranslated = _untranslated_fields(caller, written, language, untranslated_reason)
    terms = written.in_language(language)
    complaint_line = terms.complaint_line or publication.complaint_line
    if complaint_line is None:
        raise InvalidInput.of_field(
            "terms.complaint_line",
            "The contract must give the program's complaint line: add it to the job order, or "
            "set RECRUITMENT_COMPLAINT_LINE for the service.",
        )
    document = ContractDocument(
        language=language,
        issued_at=issued_at,
        verification_code=code,
        verification_url=publication.verification_url(code),
        program=Program(name=publication.program_name, complaint_line=complaint_line),
        grower=GrowerParty(
            legal_name=grower.legal_name,
            trade_name=grower.trade_name,
            address=f"{grower.street}, {grower.city}, {grower.state} {grower.postal_code}",
            state=grower.state,
            fein=grower.fein,
        ),
        worker=WorkerParty(
            full_name=f"{worker.given_names} {worker.family_names}",
            identity_document=(
                IdentityDocument.masked("curp", worker.curp)
                if worker.curp
                else IdentityDocument.masked("passport", worker.passport_number or "")
            ),
            nationality=worker.nationality,
        ),
        terms=terms,
        job_order_version=version.number,
        wage_floor=await _wage_floor(session, terms),
        recruitment_chain=await _chain(session, recruitment, grower),
        owed_costs=await _owed(session, recruitment, terms),
        untranslated_fields=tuple(untranslated),
    )
    return document, version.number


def _untranslated_fields(
    caller: Caller, terms: JobOrderTerms, language: Language, reason: str | None
) -> list[str]:
    """The grower's texts missing in `language`: a contract the worker can't read is refused,
    unless staff issue it anyway and say why (20 CFR 655.122(q))."""
    missing = terms.untranslated_fields(language)
    if missing and reason is None:
        raise InvalidInput(
            f"The job order's terms have no {language} text for: {', '.join(missing)}. Add them "
            f"under terms.translations.{language} (a new version of the job order), or staff may "
            "issue the contract with an untranslated_reason.",
            [
                FieldProblem(f"terms.translations.{language}.{name}", "No translation given.")
                for name in missing
            ],
        )
    if reason is not None:
        caller.require_staff("issue a contract with untranslated texts")
    return missing


async def _wage_floor(session: AsyncSession, terms: JobOrderTerms) -> WageFloor | None:
    assessment = wage_floor_assessment(terms, await cases.load_reference(session))
    if assessment.state is None or assessment.on_date is None:
        return None
    if assessment.aewr is not None:
        rate = Money(amount=assessment.aewr.hourly_cents, currency="USD")
        return WageFloor(
            kind="aewr",
            state=assessment.state,
            year=assessment.aewr.year,
            hourly_rate=rate,
        )
    return WageFloor(
        kind="aewr",
        state=assessment.state,
        year=assessment.on_date.year,
        hourly_rate=None,
    )


async def _chain(
    session: AsyncSession, recruitment: Recruitment, grower: Grower
) -> tuple[RecruitmentChainEntry, ...]:
    rows = list(
        await session.exec(
            select(ChainLink, Intermediary)
            .join(Intermediary, col(Intermediary.id) == col(ChainLink.intermediary_id))
            .where(ChainLink.recruitment_id == recruitment.id, col(ChainLink.replaced_at).is_(None))
            .order_by(col(ChainLink.position))
        )
    )
    names = {intermediary.id: intermediary.name for _, intermediary in rows}
    return tuple(
        RecruitmentChainEntry(
            name=intermediary.name,
            kind=intermediary.kind,
            engaged_by=names.get(link.engaged_by_intermediary_id or intermediary.id, "")
            if link.engaged_by == "intermediary"
            else grower.legal_name,
            written_fee_ban=link.written_fee_ban,
        )
        for link, intermediary in rows
    )


async def _owed(
    session: AsyncSession, recruitment: Recruitment, terms: JobOrderTerms
) -> tuple[OwedCost, ...]:
    still_owed = await costs.outstanding(session, recruitment.id)
    rows = await session.exec(
        select(Cost)
        .where(col(Cost.id).in_([i for i, owed in still_owed.items() if owed > 0]))
        .order_by(col(Cost.paid_on), col(Cost.id))
    )
    hire = (await session.exec(select(Hire).where(Hire.recruitment_id == recruitment.id))).first()
    first_workday = first_day_of_work(
        hire.start_date if hire else None, recruitment.arrived_on or recruitment.hired_on
    )
    owed = []
    for cost in rows:
        amount = Money(amount=still_owed[cost.id], currency=cost.currency)
        if cost.category in FEE_CATEGORIES:
            owed.append(
                OwedCost(
                    category=cost.category,
                    description=cost.payee_name,
                    amount=amount,
                    deadline_basis="immediately",
                )
            )
            continue
        deadline = reimbursement_deadline(
            cost.category,  # type: ignore[arg-type]
            cost.purpose,  # type: ignore[arg-type]
            cost.paid_on,
            first_workday,
            terms.period_start,
            terms.period_end,
        )
        owed.append(
            OwedCost(
                category=cost.category,
                description=cost.payee_name,
                amount=amount,
                deadline_basis=deadline.basis,
                deadline=deadline.due_on,
            )
        )
    return tuple(owed)


async def issue_contract(
    session: AsyncSession,
    caller: Caller,
    renderer: ContractRenderer,
    publication: Publication,
    worker_id: UUID,
    request: ContractIssue,
    *,
    spoken: bool = False,
) -> ContractIssued:
    """Render and store a new contract; the worker's earlier one for the job order is superseded.

    `spoken`: also ask for page 1 as audio (a job, which the caller defers once the transaction
    commits; its id is in the answer). A rendering failure raises before anything is written.
    """
    worker = await workers.find_worker(session, caller, worker_id)
    recruitment = await _recruitment_for(session, caller, worker, request.job_order_id)
    language: Language = request.language or worker.preferred_language  # type: ignore[assignment]
    if request.override_reason is not None:
        caller.require_staff("issue a contract over open findings on its terms")
    issued_at = clock.now().replace(microsecond=0)
    code = new_verification_code()
    document, version = await _document(
        session, recruitment, worker, language, publication, code, issued_at,
        caller, request.untranslated_reason,
    )  # fmt: skip
    findings = await _open_terms_findings(session, recruitment)
    if findings and request.override_reason is None:
        raise TermsNeedFixing(findings)
    try:
        pdf = await renderer.render(document)
    except RenderingUnavailable as error:
        raise ServiceUnavailable(str(error)) from error
    except RenderingError as error:
        raise ServiceUnavailable(f"The contract could not be rendered: {error}") from error
    token = secrets.token_urlsafe(32)
    contract = Contract(
        recruitment_id=recruitment.id,
        grower_id=recruitment.grower_id,
        worker_id=worker.id,
        job_order_id=recruitment.job_order_id,
        job_order_version=version,
        language=language,
        document=document.model_dump(mode="json"),
        untranslated_fields=list(document.untranslated_fields),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        verification_code=code,
        token_digest=token_digest(token),
        issued_at=issued_at,
        issued_by=caller.actor,
        terms_override_reason=request.override_reason if findings else None,
        terms_findings_overridden=[finding.code for finding in findings] if findings else None,
    )
    session.add(contract)
    await session.flush()
    earlier = await session.exec(
        select(Contract).where(
            Contract.recruitment_id == recruitment.id,
            Contract.id != contract.id,
            col(Contract.superseded_at).is_(None),
        )
    )
    for previous in earlier:
        previous.superseded_at = issued_at
        previous.superseded_by_id = contract.id
        session.add(previous)
    await session.flush()
    issued = contract_read(contract, publication)
    await audit.record(
        session, caller, "contract.issue", "contract", contract.id,
        grower_id=contract.grower_id,
        after=ContractIssueAudited(
            **issued.model_dump(), untranslated_reason=request.untranslated_reason
        ),
    )  # fmt: skip
    return ContractIssued(
        **issued.model_dump(),
        worker_link=publication.worker_link(token),
        audio_job_id=await contract_audio.request_audio(session, contract) if spoken else None,
        open_flags=await flags.reevaluated(session, recruitment.id),
        warnings=[warning] if (warning := publication.local_only_warning) else [],
    )


async def find_contract(session: AsyncSession, caller: Caller, contract_id: UUID) -> Contract:
    contract = (
        await session.exec(
            select(Contract).where(
                Contract.id == contract_id, caller.scope(col(Contract.grower_id))
            )
        )
    ).first()
    if contract is None:
        raise NotFound(f"No contract {contract_id}.")
    return contract


async def list_contracts(
    session: AsyncSession, caller: Caller, publication: Publication, worker_id: UUID
) -> list[ContractRead]:
    await workers.find_worker(session, caller, worker_id)
    rows = await session.exec(
        select(Contract)
        .where(Contract.worker_id == worker_id, caller.scope(col(Contract.grower_id)))
        .order_by(col(Contract.issued_at), col(Contract.created_at), col(Contract.id))
    )
    return [contract_read(row, publication) for row in rows]


async def record_delivery(
    session: AsyncSession, caller: Caller, contract_id: UUID, delivery: DeliveryCreate
) -> DeliveryRead:
    contract = await find_contract(session, caller, contract_id)
    if delivery.delivered_on < contract.issued_at.date():
        raise InvalidInput.of_field(
            "delivered_on",
            f"delivered_on {delivery.delivered_on} is before the contract was issued "
            f"({contract.issued_at.date()}).",
        )
    if delivery.delivered_on > clock.today():
        raise InvalidInput.of_field("delivered_on", "A delivery can't be recorded in advance.")
    row = ContractDelivery(
        contract_id=contract.id,
        method=delivery.method,
        delivered_on=delivery.delivered_on,
        note=delivery.note,
        recorded_by=caller.actor,
    )
    session.add(row)
    await session.flush()
    recorded = DeliveryRead.model_validate(row)
    await audit.record(
        session, caller, "contract.delivery", "contract", contract.id,
        grower_id=contract.grower_id, after=recorded,
    )  # fmt: skip
    return recorded.model_copy(
        update={"open_flags": await flags.reevaluated(session, contract.recruitment_id)}
    )


async def list_deliveries(
    session: AsyncSession, caller: Caller, contract_id: UUID
) -> list[DeliveryRead]:
    await find_contract(session, caller, contract_id)
    rows = await session.exec(
        select(ContractDelivery)
        .where(ContractDelivery.contract_id == contract_id)
        .order_by(col(ContractDelivery.delivered_on), col(ContractDelivery.created_at))
    )
    return [DeliveryRead.model_validate(row) for row in rows]


async def contract_by_token(session: AsyncSession, token: str) -> Contract:
    """The contract behind a worker's link; a wrong token is simply not found."""
    contract = (
        await session.exec(select(Contract).where(Contract.token_digest == token_digest(token)))
    ).first()
    if contract is None:
        raise NotFound("No contract at this link.")
    return contract


async def worker_page(session: AsyncSession, contract: Contract, token: str) -> WorkerPageContext:
    spoken = await contract_audio.audio_of(session, contract.id)
    return WorkerPageContext(
        document=ContractDocument.model_validate(contract.document),
        pdf_url=f"/c/{token}/pdf",
        confirm_url=f"/c/{token}/receipt",
        complaint_url=f"/c/{token}/complaint",
        audio_url=f"/c/{token}/audio" if spoken else None,
        receipt_confirmed_at=contract.receipt_confirmed_at,
        superseded=contract.superseded_at is not None,
    )


async def confirm_receipt(session: AsyncSession, token: str) -> Contract:
    """The worker says they received it; the first confirmation is the one kept."""
    contract = await contract_by_token(session, token)
    if contract.receipt_confirmed_at is None:
        contract.receipt_confirmed_at = clock.now()
        session.add(contract)
        await session.flush()
        await cases.reevaluate(session, [contract.recruitment_id])
    return contract


async def verification(
    session: AsyncSession, publication: Publication, code: str, language: Language | None
) -> VerifyPageContext:
    """What the public may learn from a verification code: the job, never the worker."""
    normalised = code.strip().upper()
    contract = (
        await session.exec(select(Contract).where(Contract.verification_code == normalised))
    ).first()
    program = (
        Program(name=publication.program_name, complaint_line=publication.complaint_line)
        if publication.complaint_line
        else WAGE_AND_HOUR_DIVISION
    )
    if contract is None:
        return VerifyPageContext(
            language=language or "es", code=code[:64], outcome="not_found", program=program
        )
    document = ContractDocument.model_validate(contract.document)
    shown_in: Language = language or contract.language  # type: ignore[assignment]
    return VerifyPageContext(
        language=shown_in,
        code=contract.verification_code,
        outcome="superseded" if contract.superseded_at else "current",
        program=document.program,
        contract=VerifiedContract(
            grower_legal_name=document.grower.legal_name,
            grower_trade_name=document.grower.trade_name,
            job_title=document.terms.job_title,
            period_start=document.terms.period_start,
            period_end=document.terms.period_end,
            wage_offer=document.terms.wage_offer,
            wage_unit=document.terms.wage_unit,
            job_order_number=document.terms.job_order_number,
            job_order_version=contract.job_order_version,
            issued_at=contract.issued_at,
            language=contract.language,
        ),
        other_languages=tuple(
            LanguageLink(language=other, url=f"/verify/{contract.verification_code}?lang={other}")
            for other in ("es", "ht", "en")
            if other != shown_in
        ),
        terms_override=(
            TermsOverride(
                findings=tuple(
                    _finding_title(code, shown_in)
                    for code in contract.terms_findings_overridden or ()
                ),
                reason=contract.terms_override_reason,
            )
            if contract.terms_override_reason
            else None
        ),
        audio_url=(
            f"/verify/{contract.verification_code}/audio"
            if await contract_audio.audio_of(session, contract.id)
            else None
        ),
    )


async def contract_by_code(session: AsyncSession, code: str) -> Contract:
    """The contract behind a verification code, as the public verification page finds it."""
    contract = (
        await session.exec(
            select(Contract).where(Contract.verification_code == code.strip().upper())
        )
    ).first()
    if contract is None:
        raise NotFound("No contract has this code.")
    return contract
