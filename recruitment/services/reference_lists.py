"""Official lists staff load: the DOL contractor registry and the SNE offices' referral lists.

Each import streams its file, writes in bulk, reports every bad row, and re-evaluates the cases
it bears on. Importing the same file again changes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import (
    ChannelVerification,
    Grower,
    Intermediary,
    Recruitment,
    RegistryCertificate,
    RegistryLink,
    SneReferral,
    SneReferralOutcome,
    Worker,
)
from recruitment.services import cases, intermediaries, registry_links
from recruitment.services.caller import Caller
from recruitment.verification import (
    ReferralClaim,
    ReferralConflict,
    ReferralMatch,
    RegistryEntry,
    RowError,
    check_contractor,
    match_referral,
    normalise_certificate_number,
    normalise_folio,
    parse_referral_list,
    parse_registry,
)
from recruitment.verification import SneReferral as ListedReferral

BATCH_ROWS = 1_000


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str | None
    message: str


@dataclass
class RegistryImportReport:
    certificates: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    contractors_checked: int = 0
    contractor_findings: list[str] = field(default_factory=list)
    cases_reevaluated: int = 0
    rows_refused: int = 0
    registry_linkage: registry_links.LinkageReport = field(
        default_factory=registry_links.LinkageReport
    )


@dataclass
class ReferralImportReport:
    referrals: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    verified: list[UUID] = field(default_factory=list)
    conflicts: dict[UUID, str] = field(default_factory=dict)
    unmatched_folios: int = 0
    cases_reevaluated: int = 0


def _problem(error: RowError) -> RowProblem:
    return RowProblem(error.line, error.column, error.message)


async def _upsert_certificates(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    statement = insert(RegistryCertificate)
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=[RegistryCertificate.certificate_number],
            set_={
                column: statement.excluded[column]
                for column in rows[0]
                if column not in ("id", "certificate_number", "created_at")
            },
        ),
        params=rows,
    )


async def import_registry(
    session: AsyncSession, caller: Caller, lines: Iterable[str], source_file: str
) -> RegistryImportReport:
    caller.require_staff("import the DOL contractor registry")
    report = RegistryImportReport()
    batch: dict[str, dict[str, Any]] = {}
    for item in parse_registry(lines):
        if isinstance(item, RowError):
            report.problems.append(_problem(item))
            continue
        number = normalise_certificate_number(item.record.certificate_number)
        batch[number] = _certificate_row(item, number, source_file)
        if len(batch) >= BATCH_ROWS:
            await _upsert_certificates(session, list(batch.values()))
            report.certificates += len(batch)
            batch = {}
    if batch:
        await _upsert_certificates(session, list(batch.values()))
        report.certificates += len(batch)
    report.rows_refused = len({problem.line for problem in report.problems})
    await _check_declared_contractors(session, report)
    report.registry_linkage = await registry_links.link_contractors(session)
    return report


def _certificate_row(entry: RegistryEntry, number: str, source_file: str) -> dict[str, Any]:
    record = entry.record
    return {
        "certificate_number": number,
        "holder_name": record.holder_name[:200],
        "address": entry.address[:300] or None,
        "city": entry.city[:100] or None,
        "state": entry.state[:2] or None,
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "authorized_to_house": record.authorized_to_house,
        "authorized_to_transport": record.authorized_to_transport,
        "authorized_to_drive": record.authorized_to_drive,
        "source_file": source_file[:300],
    }


async def _check_declared_contractors(session: AsyncSession, report: RegistryImportReport) -> None:
    """Report each declared contractor the registry contradicts, and re-evaluate their cases."""
    contractors = list(
        await session.exec(
            select(Intermediary).where(
                col(Intermediary.kind).in_(["farm_labor_contractor", "h2a_labor_contractor"])
            )
        )
    )
    numbers = {
        normalise_certificate_number(c.certificate_number)
        for c in contractors
        if c.certificate_number
    }
    registry = {
        cert.certificate_number: cert
        for cert in await session.exec(
            select(RegistryCertificate).where(
                col(RegistryCertificate.certificate_number).in_(numbers)
            )
        )
    }
    affected: set[UUID] = set()
    for contractor in contractors:
        number = (
            normalise_certificate_number(contractor.certificate_number)
            if contractor.certificate_number
            else None
        )
        found = registry.get(number) if number else None
        check = check_contractor(contractor, cases.registry_record(found) if found else None)
        report.contractors_checked += 1
        if check.status != "found":
            report.contractor_findings.append(
                f"{contractor.name} ({contractor.id}): {check.message}"
            )
        affected.update(await cases.cases_with_intermediary(session, contractor.id))
    summary = await cases.reevaluate(session, affected)
    report.cases_reevaluated = summary.cases


async def registry_entry(
    session: AsyncSession, certificate_number: str
) -> RegistryCertificate | None:
    return (
        await session.exec(
            select(RegistryCertificate).where(
                RegistryCertificate.certificate_number
                == normalise_certificate_number(certificate_number)
            )
        )
    ).first()


async def import_referrals(
    session: AsyncSession, caller: Caller, lines: Iterable[str], source_file: str
) -> ReferralImportReport:
    caller.require_staff("import SNE referral lists")
    report = ReferralImportReport()
    listed: dict[str, ListedReferral] = {}
    for item in parse_referral_list(lines):
        if isinstance(item, RowError):
            report.problems.append(_problem(item))
            continue
        listed[item.folio] = item
    rows = [
        {
            "office": entry.office[:200],
            "folio": entry.folio,
            "curp": entry.curp,
            "passport_number": entry.passport,
            "worker_name": entry.name[:300],
            "referred_on": entry.referred_on,
            "employer": entry.employer[:200],
            "source_file": source_file[:300],
        }
        for entry in listed.values()
    ]
    for start in range(0, len(rows), BATCH_ROWS):
        statement = insert(SneReferral).on_conflict_do_nothing(
            index_elements=[SneReferral.office, SneReferral.folio]
        )
        await session.exec(statement, params=rows[start : start + BATCH_ROWS])
    report.referrals = len(rows)
    await _match_claims(session, caller, listed, source_file, report)
    return report


async def _match_claims(
    session: AsyncSession,
    caller: Caller,
    listed: dict[str, ListedReferral],
    source_file: str,
    report: ReferralImportReport,
) -> None:
    folio = func.upper(func.regexp_replace(col(Recruitment.sne_folio), r"\s+", "", "g"))
    claims = list(
        await session.exec(
            select(Recruitment, Worker, Grower, Intermediary)
            .join(Worker, col(Worker.id) == col(Recruitment.worker_id))
            .join(Grower, col(Grower.id) == col(Recruitment.grower_id))
            .outerjoin(Intermediary, col(Intermediary.id) == col(Recruitment.sne_office_id))
            .where(col(Recruitment.channel) == "sne", folio.in_(list(listed)))
        )
    )
    report.unmatched_folios = len(listed) - len(
        {normalise_folio(r.sne_folio or "") for r, *_ in claims}
    )
    referral_ids = {
        (row.office, row.folio): row.id
        for row in await session.exec(
            select(SneReferral).where(col(SneReferral.folio).in_(list(listed)))
        )
    }
    existing = {
        outcome.recruitment_id: outcome
        for outcome in await session.exec(
            select(SneReferralOutcome).where(
                col(SneReferralOutcome.recruitment_id).in_([r.id for r, *_ in claims])
            )
        )
    }
    touched: set[UUID] = set()
    for recruitment, worker, grower, office in claims:
        entry = listed[normalise_folio(recruitment.sne_folio or "")]
        labels = tuple(
            label
            for label in (office.name if office else None, office.region if office else None)
            if label
        )
        outcome = match_referral(
            entry,
            ReferralClaim(
                sne_folio=recruitment.sne_folio or "",
                office_labels=labels,
                worker_curp=worker.curp,
                worker_passport=worker.passport_number,
                grower_legal_name=grower.legal_name,
            ),
        )
        matched = not isinstance(outcome, ReferralConflict)
        conflicts = [] if isinstance(outcome, ReferralMatch) else [outcome.evidence]
        if matched:
            report.verified.append(recruitment.id)
        else:
            report.conflicts[recruitment.id] = conflicts[0]
        previous = existing.get(recruitment.id)
        if previous is not None and (previous.matched, previous.conflicts or []) == (
            matched,
            conflicts,
        ):
            continue
        referral_id = referral_ids[(entry.office[:200], entry.folio)]
        if previous is None:
            previous = SneReferralOutcome(
                recruitment_id=recruitment.id, referral_id=referral_id, matched=matched
            )
        previous.referral_id, previous.matched, previous.conflicts = referral_id, matched, conflicts
        session.add(previous)
        if matched and recruitment.channel_verification != "verified":
            recruitment.channel_verification = "verified"
            recruitment.version += 1
            session.add(recruitment)
            session.add(
                ChannelVerification(
                    recruitment_id=recruitment.id,
                    decision="verified",
                    evidence=(
                        f"SNE referral list {source_file}, line {entry.line}: office "
                        f"{entry.office}, folio {entry.folio}, referred on "
                        f"{entry.referred_on.isoformat()} to {entry.employer}."
                    ),
                    sne_office_id=recruitment.sne_office_id,
                    sne_folio=recruitment.sne_folio,
                    verified_by=caller.actor,
                )
            )
        touched.add(recruitment.id)
    await session.flush()
    summary = await cases.reevaluate(session, touched)
    report.cases_reevaluated = summary.cases


async def compare_with_registry(
    session: AsyncSession, caller: Caller, intermediary_id: UUID
) -> tuple[str, str, RegistryCertificate | None, RegistryLink | None]:
    """The registry's record for a contractor (by its declared number, else by its link), how
    it was linked, and whether it agrees."""
    intermediary = await intermediaries.find_intermediary(session, caller, intermediary_id)
    link = await registry_links.link_of(session, intermediary.id)
    number = intermediary.certificate_number or (link.certificate_number if link else None)
    found = await registry_entry(session, number) if number else None
    if found is not None and not intermediary.certificate_number:
        # Linked by name: the comparison is with the linked certificate's own number.
        intermediary = intermediary.model_copy(update={"certificate_number": number})
    check = check_contractor(intermediary, cases.registry_record(found) if found else None)
    return check.status, check.message, found, link
