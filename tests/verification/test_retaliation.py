"""POSSIBLE_RETALIATION's three signals as a pure rule: left early, moved off a crew, not re-hired;
one finding per complaint and signal."""

from dataclasses import replace
from datetime import date

from recruitment.verification import Finding
from recruitment.verification.facts import CaseFacts, Complaint, CrewAssignment, SeasonHires
from recruitment.verification.rules import packaged_reference, possible_retaliation
from tests.verification.factories import WORKER_ID, clean_case, evidence, uid

COMPLAINT = Complaint(
    id=uid(40),
    reference="Q-ABC123",
    category="harassment_violence",
    status="investigating",
    founded=None,
    received_on=date(2025, 5, 1),
    closed_on=None,
    follow_up_days=30,
)
OTHER_WORKER = uid(41)


def judged(case: CaseFacts, as_of: date = date(2027, 12, 31)) -> list[Finding]:
    return possible_retaliation(case, as_of, packaged_reference())


def with_crews(*assignments: tuple[str | None, date], **complaint: object) -> CaseFacts:
    case = clean_case(complaints=(replace(COMPLAINT, **complaint),))  # type: ignore[arg-type]
    assert case.hire is not None
    history = tuple(CrewAssignment(crew, "Ramón", day) for crew, day in assignments)
    return replace(case, hire=replace(case.hire, crew_history=history))


def test_the_departure_signal_keeps_its_subject_and_evidence() -> None:
    case = replace(
        clean_case(complaints=(COMPLAINT,)),
        milestones=replace(clean_case().milestones, departed_early=date(2025, 5, 20)),
    )
    [finding] = judged(case)
    assert finding.subject == f"complaint:{COMPLAINT.id}"
    # No new key: the fingerprints of the flags raised before stay as they were.
    assert set(evidence(finding)) == {
        "complaint_id", "reference", "category", "received_on", "departed_early_on",
        "follow_up_window_ends",
    }  # fmt: skip


def test_a_move_off_a_crew_within_the_window_names_both_crews_and_the_day() -> None:
    case = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 5, 10)))
    [finding] = judged(case)
    assert finding.subject == f"complaint:{COMPLAINT.id}:moved_off_crew"
    assert {k: evidence(finding)[k] for k in ("signal", "from_crew", "to_crew", "moved_on")} == {
        "signal": "moved_off_crew", "from_crew": "Cuadrilla 3", "to_crew": "Cuadrilla 5",
        "moved_on": "2025-05-10",
    }  # fmt: skip


def test_a_move_before_the_complaint_or_after_its_window_is_no_finding() -> None:
    before = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 4, 30)))
    assert judged(before) == []
    closed = {"status": "resolved", "closed_on": date(2025, 6, 1)}  # window ends 2025-07-01
    after = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 7, 2)),
                       **closed)  # fmt: skip
    assert judged(after) == []
    last_day = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 7, 1)),
                          **closed)  # fmt: skip
    assert len(judged(last_day)) == 1


def test_a_move_counts_only_once_it_takes_effect() -> None:
    case = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 5, 10)))
    assert judged(case, as_of=date(2025, 5, 9)) == []
    assert len(judged(case, as_of=date(2025, 5, 10))) == 1


def test_a_first_crew_or_a_new_supervisor_is_no_move_and_several_moves_are_one_finding() -> None:
    first = with_crews((None, date(2025, 4, 1)), ("Cuadrilla 3", date(2025, 5, 10)))
    assert judged(first) == []
    same = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 3", date(2025, 5, 10)))
    assert judged(same) == []
    twice = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 5, 10)),
                       (None, date(2025, 5, 12)))  # fmt: skip
    [finding] = judged(twice)
    assert evidence(finding)["to_crew"] == "Cuadrilla 5"


def seasons(this: set[object], following: set[object] | None) -> CaseFacts:
    """The clean case (season 2025) with a complaint and the grower's hires of 2025 and 2026."""
    hired = [SeasonHires(2025, frozenset(this), date(2025, 4, 1))]  # type: ignore[arg-type]
    if following is not None:
        hired.append(SeasonHires(2026, frozenset(following), date(2026, 4, 1)))  # type: ignore[arg-type]
    return clean_case(complaints=(COMPLAINT,), season=2025, grower_seasons=tuple(hired))


def test_a_complainant_left_out_of_the_next_season_while_others_came_back_is_a_finding() -> None:
    [finding] = judged(seasons({WORKER_ID, OTHER_WORKER, uid(42)}, {OTHER_WORKER, uid(43)}))
    assert finding.subject == f"complaint:{COMPLAINT.id}:not_rehired"
    assert {k: evidence(finding)[k] for k in ("signal", "season", "next_season",
                                              "season_workers", "rehired_workers")} == {
        "signal": "not_rehired", "season": 2025, "next_season": 2026, "season_workers": 2,
        "rehired_workers": 1,
    }  # fmt: skip


def test_not_rehired_needs_a_next_season_others_back_and_the_complainant_not() -> None:
    assert judged(seasons({WORKER_ID, OTHER_WORKER}, None)) == []
    assert judged(seasons({WORKER_ID, OTHER_WORKER}, {uid(43)})) == []
    assert judged(seasons({WORKER_ID, OTHER_WORKER}, {WORKER_ID, OTHER_WORKER})) == []
    unfounded = replace(
        seasons({WORKER_ID, OTHER_WORKER}, {OTHER_WORKER}),
        complaints=(replace(COMPLAINT, status="closed_unfounded"),),
    )
    assert judged(unfounded) == []
    too_late = replace(
        seasons({WORKER_ID, OTHER_WORKER}, {OTHER_WORKER}),
        complaints=(replace(COMPLAINT, received_on=date(2026, 4, 1)),),
    )
    assert judged(too_late) == []


def test_each_signal_is_its_own_finding_for_one_complaint() -> None:
    case = with_crews(("Cuadrilla 3", date(2025, 4, 1)), ("Cuadrilla 5", date(2025, 5, 10)))
    case = replace(
        case,
        milestones=replace(case.milestones, departed_early=date(2025, 5, 20)),
        season=2025,
        grower_seasons=(
            SeasonHires(2025, frozenset({WORKER_ID, OTHER_WORKER}), date(2025, 4, 1)),
            SeasonHires(2026, frozenset({OTHER_WORKER}), date(2026, 4, 1)),
        ),
    )
    assert sorted(finding.subject.rsplit(":", 1)[-1] for finding in judged(case)) == sorted(
        [str(COMPLAINT.id), "moved_off_crew", "not_rehired"]
    )
