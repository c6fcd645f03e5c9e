"""Reconciliation: how a case's stored flags must change to agree with a fresh evaluation.

Flags and findings meet on (code, subject). A flag is *live* unless resolved; resolved flags are
history and never come back: a condition that returns after resolution opens a new flag.

| live flag | finding now | plan |
| --- | --- | --- |
| none | present | `to_open` |
| open / acknowledged | same fingerprint | nothing |
| open / acknowledged | other fingerprint | `to_update` (new evidence; status kept) |
| open / acknowledged | absent | `to_resolve`, reason "condition cleared" |
| dismissed | same fingerprint | nothing: staff's dismissal stands |
| dismissed | other fingerprint | `to_reopen`: the facts changed, staff must look again |
| dismissed | absent | nothing: it stays dismissed |

A dismissed flag whose finding disappears stays dismissed rather than resolved: staff closed it
first, and that decision is the record; if the same finding (same fingerprint) comes back, the
dismissal still applies, and if it comes back with other evidence, it reopens.

Applying a plan and reconciling again with the same findings gives an empty plan.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from recruitment.domain.vocabulary import FlagStatus
from recruitment.verification.findings import Finding

CONDITION_CLEARED = "condition cleared"

# Which of two live flags for one (code, subject) to keep; the loser is closed as a duplicate.
_KEEP_FIRST: dict[FlagStatus, int] = {"open": 0, "acknowledged": 1, "dismissed": 2, "resolved": 3}


class StoredFlag(Protocol):
    """What reconciliation reads of a stored flag (a database row fits)."""

    @property
    def id(self) -> UUID: ...

    @property
    def code(self) -> str: ...

    @property
    def subject(self) -> str: ...

    @property
    def status(self) -> FlagStatus: ...

    @property
    def fingerprint(self) -> str: ...


@dataclass(frozen=True)
class ExistingFlag:
    id: UUID
    code: str
    subject: str
    status: FlagStatus
    fingerprint: str


@dataclass(frozen=True)
class FlagResolution:
    flag_id: UUID
    reason: str


@dataclass(frozen=True)
class FlagRevision:
    """A flag to carry `finding`'s evidence and fingerprint (an update, or a reopening)."""

    flag_id: UUID
    finding: Finding


@dataclass(frozen=True)
class ReconciliationPlan:
    to_open: tuple[Finding, ...] = ()
    to_resolve: tuple[FlagResolution, ...] = ()
    to_update: tuple[FlagRevision, ...] = ()
    to_reopen: tuple[FlagRevision, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.to_open or self.to_resolve or self.to_update or self.to_reopen)


def _live_flags_by_key(
    flags: Iterable[StoredFlag],
) -> tuple[dict[tuple[str, str], StoredFlag], list[FlagResolution]]:
    """One live flag per (code, subject); any extra one is resolved as a duplicate of the kept one.

    Extras should not exist (the database should hold one live flag per key); closing them keeps a
    past mistake from hiding or doubling a finding.
    """
    by_key: dict[tuple[str, str], list[StoredFlag]] = {}
    for flag in flags:
        if flag.status != "resolved":
            by_key.setdefault((flag.code, flag.subject), []).append(flag)
    live: dict[tuple[str, str], StoredFlag] = {}
    duplicates: list[FlagResolution] = []
    for key, candidates in by_key.items():
        kept, *extras = sorted(candidates, key=lambda f: (_KEEP_FIRST[f.status], str(f.id)))
        live[key] = kept
        duplicates += [FlagResolution(extra.id, f"duplicate of flag {kept.id}") for extra in extras]
    return live, duplicates


def reconcile(flags: Iterable[StoredFlag], findings: Iterable[Finding]) -> ReconciliationPlan:
    """The changes that bring a case's flags in line with `findings` (see the module docstring).

    Findings must have distinct (code, subject) keys, as `evaluate` guarantees.
    """
    current: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        if finding.key in current:
            raise ValueError(f"two findings for {finding.key}")
        current[finding.key] = finding
    live, to_resolve = _live_flags_by_key(flags)
    to_open: list[Finding] = []
    to_update: list[FlagRevision] = []
    to_reopen: list[FlagRevision] = []
    for key, finding in current.items():
        flag = live.get(key)
        if flag is None:
            to_open.append(finding)
        elif flag.fingerprint != finding.fingerprint:
            revisions = to_reopen if flag.status == "dismissed" else to_update
            revisions.append(FlagRevision(flag.id, finding))
    to_resolve += [
        FlagResolution(flag.id, CONDITION_CLEARED)
        for key, flag in live.items()
        if key not in current and flag.status != "dismissed"
    ]
    return ReconciliationPlan(
        to_open=tuple(sorted(to_open, key=lambda finding: finding.sort_key)),
        to_resolve=tuple(sorted(to_resolve, key=lambda resolution: str(resolution.flag_id))),
        to_update=tuple(sorted(to_update, key=lambda revision: str(revision.flag_id))),
        to_reopen=tuple(sorted(to_reopen, key=lambda revision: str(revision.flag_id))),
    )
