from dataclasses import replace
from itertools import count
from uuid import UUID

import pytest

from recruitment.verification import (
    CONDITION_CLEARED,
    ExistingFlag,
    Finding,
    FlagResolution,
    FlagRevision,
    ReconciliationPlan,
    reconcile,
)

from .factories import uid

_new_ids = count(1000)


def finding(subject: str = "case", channel: str = "other") -> Finding:
    return Finding("NON_SNE_CHANNEL", "violation", subject, {"channel": channel}, "Program rule")


def flag_for(found: Finding, status: str = "open", number: int = 1) -> ExistingFlag:
    return ExistingFlag(uid(number), found.code, found.subject, status, found.fingerprint)  # type: ignore[arg-type]


def apply(flags: list[ExistingFlag], plan: ReconciliationPlan) -> list[ExistingFlag]:
    """What the service does with a plan, in memory."""
    by_id = {flag.id: flag for flag in flags}
    for resolution in plan.to_resolve:
        by_id[resolution.flag_id] = replace(by_id[resolution.flag_id], status="resolved")
    for revision in plan.to_update:
        by_id[revision.flag_id] = replace(
            by_id[revision.flag_id], fingerprint=revision.finding.fingerprint
        )
    for revision in plan.to_reopen:
        by_id[revision.flag_id] = replace(
            by_id[revision.flag_id], status="open", fingerprint=revision.finding.fingerprint
        )
    for opened in plan.to_open:
        new_id = UUID(int=next(_new_ids))
        by_id[new_id] = ExistingFlag(
            new_id, opened.code, opened.subject, "open", opened.fingerprint
        )
    return list(by_id.values())


def test_a_new_finding_opens_a_flag() -> None:
    assert reconcile([], [finding()]) == ReconciliationPlan(to_open=(finding(),))


@pytest.mark.parametrize("status", ["open", "acknowledged", "dismissed"])
def test_an_unchanged_finding_changes_nothing(status: str) -> None:
    assert reconcile([flag_for(finding(), status)], [finding()]).is_empty


@pytest.mark.parametrize("status", ["open", "acknowledged"])
def test_a_cleared_condition_resolves_a_live_flag(status: str) -> None:
    plan = reconcile([flag_for(finding(), status)], [])
    assert plan == ReconciliationPlan(to_resolve=(FlagResolution(uid(1), CONDITION_CLEARED),))


@pytest.mark.parametrize("status", ["open", "acknowledged"])
def test_changed_evidence_updates_a_live_flag(status: str) -> None:
    changed = finding(channel="private_recruiter")
    plan = reconcile([flag_for(finding(), status)], [changed])
    assert plan == ReconciliationPlan(to_update=(FlagRevision(uid(1), changed),))


def test_changed_facts_reopen_a_dismissed_flag() -> None:
    changed = finding(channel="private_recruiter")
    plan = reconcile([flag_for(finding(), "dismissed")], [changed])
    assert plan == ReconciliationPlan(to_reopen=(FlagRevision(uid(1), changed),))


def test_a_dismissed_flag_whose_finding_disappears_stays_dismissed() -> None:
    assert reconcile([flag_for(finding(), "dismissed")], []).is_empty


def test_a_finding_that_returns_after_resolution_opens_a_new_flag() -> None:
    plan = reconcile([flag_for(finding(), "resolved")], [finding()])
    assert plan == ReconciliationPlan(to_open=(finding(),))


def test_an_extra_live_flag_for_one_subject_is_closed_as_a_duplicate() -> None:
    kept, extra = flag_for(finding(), "open", 1), flag_for(finding(), "dismissed", 2)
    plan = reconcile([extra, kept], [finding()])
    assert plan == ReconciliationPlan(
        to_resolve=(FlagResolution(uid(2), f"duplicate of flag {uid(1)}"),)
    )


def test_two_findings_for_one_subject_are_refused() -> None:
    with pytest.raises(ValueError, match="two findings"):
        reconcile([], [finding(), finding(channel="grower_direct")])


def test_applying_a_plan_then_reconciling_again_changes_nothing() -> None:
    flags = [
        flag_for(finding("a"), "open", 1),
        flag_for(finding("b"), "dismissed", 2),
        flag_for(finding("c"), "acknowledged", 3),
        flag_for(finding("d"), "resolved", 4),
    ]
    findings = [finding("b", "grower_direct"), finding("c", "grower_direct"), finding("d")]
    plan = reconcile(flags, findings)
    assert not plan.is_empty
    assert reconcile(apply(flags, plan), findings).is_empty
