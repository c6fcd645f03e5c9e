"""The H-2A program debarment list: staff import it, and the cases of every grower, contractor,
recruiter or agent bearing a name on it are re-evaluated (`DEBARRED_PARTY`,
`POSSIBLE_DEBARRED_PARTY`; see `recruitment.verification.debarments`).

An entry is found again by its normalised name, state and start date: importing the same list
again changes nothing, and a later list's corrections (an end date, say) update their entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.imports.debarments import ListedDebarment, RefusedRow, parse_debarment_list
from recruitment.models import ChainLink, Debarment, Grower, Intermediary, Recruitment
from recruitment.services import cases
from recruitment.services.caller import Caller
from recruitment.services.reference_lists import RowProblem
from recruitment.verification.debarments import debarment_name_key, name_keys_of

MAX_PROBLEMS = 1000
_COMPARED = ("entity_name", "entity_type", "location", "state", "ends_on", "violation",
             "citation", "source_file", "line")  # fmt: skip


@dataclass
class DebarmentImportReport:
    entries: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    rows_refused: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    cases_reevaluated: int = 0


def _entry_key(entry: ListedDebarment) -> str:
    return f"{debarment_name_key(entry.entity_name)}|{entry.state or ''}|{entry.starts_on}"[:400]


async def import_debarments(
    session: AsyncSession, caller: Caller, lines: Iterable[str], source_file: str
) -> DebarmentImportReport:
    caller.require_staff("import the H-2A debarment list")
    columns, rows = parse_debarment_list(lines)
    report = DebarmentImportReport(unknown_columns=list(columns.unknown))
    listed: dict[str, dict[str, Any]] = {}
    for row in rows:
        if isinstance(row, RefusedRow):
            report.rows_refused += 1
            for problem in row.problems:
                if len(report.problems) < MAX_PROBLEMS:
                    report.problems.append(
                        RowProblem(problem.line, problem.column, problem.message)
                    )
            continue
        key = _entry_key(row)
        listed[key] = {
            "entry_key": key,
            "entity_name": row.entity_name,
            "name_key": debarment_name_key(row.entity_name)[:300],
            "entity_type": row.entity_type,
            "location": row.location,
            "state": row.state,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "violation": row.violation,
            "citation": row.citation,
            "source_file": source_file[:300],
            "line": row.line,
        }
    report.entries = len(listed)
    existing = {
        entry.entry_key: entry
        for entry in await session.exec(
            select(Debarment).where(col(Debarment.entry_key).in_(list(listed)))
        )
    }
    writes = []
    for key, values in listed.items():
        before = existing.get(key)
        if before is None:
            report.created += 1
        elif all(getattr(before, name) == values[name] for name in _COMPARED):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append(values)
    for start in range(0, len(writes), 1000):
        statement = insert(Debarment)
        await session.exec(
            statement.on_conflict_do_update(
                index_elements=["entry_key"],
                set_={name: statement.excluded[name] for name in (*_COMPARED, "name_key")},
            ),
            params=writes[start : start + 1000],
        )
    if writes:
        affected = await _cases_bearing(session, {values["name_key"] for values in writes})
        report.cases_reevaluated = (await cases.reevaluate(session, affected)).cases
    return report


async def _cases_bearing(session: AsyncSession, keys: set[str]) -> list[UUID]:
    """The cases whose grower, or an intermediary in whose chain, bears one of these names."""
    growers = [
        grower_id
        for grower_id, legal, trade in await session.exec(
            select(Grower.id, Grower.legal_name, Grower.trade_name)
        )
        if name_keys_of([name for name in (legal, trade) if name]) & keys
    ]
    intermediaries = [
        intermediary_id
        for intermediary_id, name in await session.exec(select(Intermediary.id, Intermediary.name))
        if name_keys_of([name]) & keys
    ]
    if not growers and not intermediaries:
        return []
    chained = select(ChainLink.recruitment_id).where(
        col(ChainLink.intermediary_id).in_(intermediaries), col(ChainLink.replaced_at).is_(None)
    )
    return list(
        await session.exec(
            select(Recruitment.id).where(
                or_(col(Recruitment.grower_id).in_(growers), col(Recruitment.id).in_(chained))
            )
        )
    )
