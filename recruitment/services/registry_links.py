"""Contractors linked to the DOL farm labor contractor registry.

By the certificate number when the contractor has one; else (the OFLC disclosure data never
has one) by normalised name and state, and address where holders share the name
(`recruitment.verification.registry.RegistryIndex`). The link keeps its basis, score and
evidence; staff confirm or reject it with a verification of the intermediary. A link by
number is authoritative at once; one by name counts for the rules once staff verified the
contractor (`cases` loads it so), so that a wrong guess raises nothing by itself.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.vocabulary import CONTRACTOR_KINDS
from recruitment.models import Intermediary, RegistryCertificate, RegistryLink
from recruitment.models.base import utc_now
from recruitment.services import cases
from recruitment.verification.registry import ListedHolder, RegistryIndex, RegistryMatch

MAX_UNMATCHED = 1000


@dataclass(frozen=True)
class UnmatchedContractor:
    intermediary_id: UUID
    name: str
    state: str | None
    reason: str


@dataclass
class LinkageReport:
    contractors: int = 0
    linked_by_basis: dict[str, int] = field(default_factory=dict)
    unmatched: list[UnmatchedContractor] = field(default_factory=list)
    unmatched_count: int = 0
    links_changed: int = 0

    @property
    def linked(self) -> int:
        return sum(self.linked_by_basis.values())


async def registry_index(session: AsyncSession) -> RegistryIndex:
    return RegistryIndex(
        ListedHolder(
            row.certificate_number, row.holder_name, row.state, row.address, row.valid_until
        )
        for row in await session.exec(select(RegistryCertificate))
    )


async def link_contractors(
    session: AsyncSession, contractor_ids: Iterable[UUID] | None = None
) -> LinkageReport:
    """Link these contractors (every one when None) to their registry certificates, keep each
    link's basis and score, drop the links the registry no longer bears out, and re-evaluate
    the cases of contractors whose link changed. Linking again changes nothing."""
    query = select(Intermediary).where(col(Intermediary.kind).in_(sorted(CONTRACTOR_KINDS)))
    if contractor_ids is not None:
        wanted = sorted(set(contractor_ids))
        if not wanted:
            return LinkageReport()
        query = query.where(cases.among(col(Intermediary.id), wanted))
    contractors = list(await session.exec(query.order_by(col(Intermediary.name))))
    report = LinkageReport(contractors=len(contractors))
    if not contractors:
        return report
    index = await registry_index(session)
    existing = {
        link.intermediary_id: link
        for link in await session.exec(
            select(RegistryLink).where(
                cases.among(col(RegistryLink.intermediary_id), [c.id for c in contractors])
            )
        )
    }
    bases: Counter[str] = Counter()
    upserts: list[dict[str, object]] = []
    relinked: list[UUID] = []
    stale: list[UUID] = []
    for contractor in contractors:
        found = index.match(
            contractor.name, contractor.region, contractor.address, contractor.certificate_number
        )
        previous = existing.get(contractor.id)
        if not isinstance(found, RegistryMatch):
            report.unmatched_count += 1
            if len(report.unmatched) < MAX_UNMATCHED:
                report.unmatched.append(
                    UnmatchedContractor(contractor.id, contractor.name, contractor.region, found)
                )
            if previous is not None:
                stale.append(contractor.id)
            continue
        bases[found.basis] += 1
        if previous is not None and (
            previous.certificate_number,
            previous.basis,
            previous.score,
            previous.evidence,
        ) == (found.certificate_number, found.basis, found.score, found.evidence[:1000]):
            continue
        relinked.append(contractor.id)
        upserts.append(
            {
                "intermediary_id": contractor.id,
                "certificate_number": found.certificate_number,
                "basis": found.basis,
                "score": found.score,
                "evidence": found.evidence[:1000],
                "updated_at": utc_now(),
            }
        )
    report.linked_by_basis = dict(sorted(bases.items()))
    if upserts:
        statement = insert(RegistryLink)
        await session.exec(
            statement.on_conflict_do_update(
                index_elements=["intermediary_id"],
                set_={
                    name: statement.excluded[name]
                    for name in ("certificate_number", "basis", "score", "evidence", "updated_at")
                },
            ),
            params=upserts,
        )
    if stale:
        await session.exec(delete(RegistryLink).where(col(RegistryLink.intermediary_id).in_(stale)))
    changed = relinked + stale
    report.links_changed = len(changed)
    if changed:
        affected: set[UUID] = set()
        for contractor_id in changed:
            affected.update(await cases.cases_with_intermediary(session, contractor_id))
        await cases.reevaluate(session, affected)
    return report


async def link_of(session: AsyncSession, intermediary_id: UUID) -> RegistryLink | None:
    return (
        await session.exec(
            select(RegistryLink).where(RegistryLink.intermediary_id == intermediary_id)
        )
    ).first()
