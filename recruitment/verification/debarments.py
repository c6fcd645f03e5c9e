"""The H-2A program debarment list against a case's parties, and job orders not certified.

20 CFR 655.182 lets the OFLC debar an employer, an agent or an attorney (and 655.182 with
29 CFR 501.20 an H-2A labor contractor) from the program for up to three years; the OFLC
publishes the list. A grower, contractor, recruiter or agent of a case whose name is on it,
in force on the case's dates, is a critical finding (`DEBARRED_PARTY`) when the entry is in
the party's state; the same name in another state, or where either state is unknown, is a
warning for staff to confirm (`POSSIBLE_DEBARRED_PARTY`): names repeat across states.

A hire or a contract under a job order that OFLC denied or that was withdrawn is a finding
too (`JOB_ORDER_NOT_CERTIFIED`): without a certification no H-2A worker may be employed under it
(20 CFR 655.160-.171; 8 CFR 214.2(h)(5)(i)(A)).

Pure: the loader (`recruitment.services.cases`) picks the entries bearing any party's name.
"""

import functools
from dataclasses import dataclass
from datetime import date

from recruitment.domain.vocabulary import NOT_CERTIFIED_CASE_STATUSES
from recruitment.verification.catalogue import catalogue
from recruitment.verification.facts import CaseFacts, DebarmentEntry
from recruitment.verification.findings import Evidence, Finding, FlagCode
from recruitment.verification.registry import holder_name_variants

# Entities on the list the rule looks for among a case's intermediaries: all but the SNE.
_DEBARRABLE_KINDS = frozenset({"farm_labor_contractor", "h2a_labor_contractor",
                               "foreign_recruiter", "agent"})  # fmt: skip


@functools.lru_cache(maxsize=65_536)
def debarment_name_key(name: str) -> str:
    """A name as the list and our records are compared: normalised (case, accents,
    punctuation and legal form ignored), its words sorted ('SMITH, JOHN' is 'John Smith')."""
    variants = holder_name_variants(name)
    return " ".join(sorted(variants[0].split())) if variants else ""


def name_keys_of(names: tuple[str, ...] | list[str]) -> set[str]:
    return {key for key in (debarment_name_key(name) for name in names) if key}


@dataclass(frozen=True)
class _Party:
    kind: str
    id: str
    name: str
    state: str | None
    keys: frozenset[str]


def case_span(case: CaseFacts, as_of: date) -> tuple[date, date]:
    """The days the case's parties act in it: from the earliest to the latest of the job
    order's period, the recruitment and the hire; the evaluation day when it has no date."""
    terms = case.job_order.terms
    days = [
        day
        for day in (
            terms.period_start,
            terms.period_end,
            case.milestones.recruited,
            case.milestones.hired,
            case.hire.start_date if case.hire else None,
        )
        if day is not None
    ]
    return (min(days), max(days)) if days else (as_of, as_of)


def in_force(entry: DebarmentEntry, span: tuple[date, date]) -> bool:
    """Whether the debarment covers any day of the span: from its start through its end, both
    included; an entry without an end is in force from its start on."""
    first, last = span
    return entry.starts_on <= last and (entry.ends_on is None or entry.ends_on >= first)


def _parties(case: CaseFacts) -> list[_Party]:
    parties = []
    if case.grower is not None:
        parties.append(
            _Party(
                "grower",
                str(case.grower_id),
                case.grower.names[0],
                case.grower.state,
                frozenset(name_keys_of(case.grower.names)),
            )
        )
    for link in case.chain:
        intermediary = link.intermediary
        if intermediary.kind in _DEBARRABLE_KINDS:
            parties.append(
                _Party(
                    intermediary.kind,
                    str(intermediary.id),
                    intermediary.name,
                    intermediary.region,
                    frozenset(name_keys_of([intermediary.name])),
                )
            )
    return parties


def _entry_evidence(entry: DebarmentEntry) -> Evidence:
    return {
        "entity": entry.entity_name,
        "entity_type": entry.entity_type,
        "location": entry.location,
        "state": entry.state,
        "starts_on": entry.starts_on.isoformat(),
        "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
        "violation": entry.violation,
        "citation": entry.citation,
        "list": entry.source_file,
        "line": entry.line,
    }


def _debarment_findings(case: CaseFacts, as_of: date, *, near: bool) -> list[Finding]:
    if not case.debarments:
        # The loader gives a case only the entries bearing one of its parties' names.
        return []
    span = case_span(case, as_of)
    code: FlagCode = "POSSIBLE_DEBARRED_PARTY" if near else "DEBARRED_PARTY"
    findings = []
    for party in _parties(case):
        for entry in case.debarments:
            if debarment_name_key(entry.entity_name) not in party.keys or not in_force(entry, span):
                continue
            same_state = entry.state is not None and entry.state == party.state
            if same_state == near:
                continue
            evidence: Evidence = {
                "party": {
                    "kind": party.kind,
                    "id": party.id,
                    "name": party.name,
                    "state": party.state,
                },
                "debarment": _entry_evidence(entry),
                "case_dates": {"from": span[0].isoformat(), "until": span[1].isoformat()},
            }
            if near:
                evidence["why_near"] = (
                    "the entry's state is unknown"
                    if entry.state is None or party.state is None
                    else f"the entry is in {entry.state}, the party in {party.state}"
                )
            subject = f"debarment:{party.kind}:{party.id}:{entry.source_file}:{entry.line}"
            entry_of = catalogue()[code]
            findings.append(Finding(code, entry_of.severity, subject, evidence, entry_of.source))
    return findings


def debarred_party(case: CaseFacts, as_of: date, reference: object) -> list[Finding]:
    """A grower, contractor, recruiter or agent of the case is on the H-2A debarment list, in
    its state, for days of the case. Source: 20 CFR 655.182; 29 CFR 501.20."""
    return _debarment_findings(case, as_of, near=False)


def possible_debarred_party(case: CaseFacts, as_of: date, reference: object) -> list[Finding]:
    """The same name is on the debarment list for days of the case, in another state (or one
    of the two states is unknown): staff confirm whether it is the same party."""
    return _debarment_findings(case, as_of, near=True)


def job_order_not_certified(case: CaseFacts, as_of: date, reference: object) -> list[Finding]:
    """A hire or an issued contract under a job order whose case OFLC denied or that was
    withdrawn. A job order entered here (no case status) is not judged. Sources: 20 CFR
    655.160-.171; 8 CFR 214.2(h)(5)(i)(A)."""
    status = case.job_order.case_status
    if status not in NOT_CERTIFIED_CASE_STATUSES:
        return []
    contracts = sorted(str(c.id) for c in case.contracts if not c.superseded)
    if case.hire is None and not contracts:
        return []
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "case_number": case.job_order.terms.case_number,
        "case_status": status,
        "hire_id": str(case.hire.id) if case.hire else None,
        "contract_ids": contracts,
    }
    entry = catalogue()["JOB_ORDER_NOT_CERTIFIED"]
    return [
        Finding(
            "JOB_ORDER_NOT_CERTIFIED",
            entry.severity,
            f"job_order:{case.job_order.id}",
            evidence,
            entry.source,
        )
    ]
