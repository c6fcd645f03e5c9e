"""A case's story in order: within one day, things with a time come in the order they happened."""

from datetime import UTC, datetime
from uuid import uuid4

from recruitment.console.timeline import case_timeline
from recruitment.schemas.flags import FlagRead

RECRUITMENT = uuid4()


def flag(code: str, raised: datetime, closed: datetime | None = None) -> FlagRead:
    return FlagRead.model_validate(
        {
            "id": uuid4(), "recruitment_id": RECRUITMENT, "grower_id": uuid4(),
            "worker_id": uuid4(), "code": code, "title": code, "severity": "violation",
            "subject": "case", "evidence": {}, "source": "20 CFR 655.122(q)",
            "status": "resolved" if closed else "open", "status_note": None,
            "status_changed_by": "system", "status_changed_at": closed or raised,
            "created_at": raised,
        }
    )  # fmt: skip


def test_a_flag_closed_before_another_is_raised_the_same_day_comes_first() -> None:
    morning = datetime(2025, 10, 15, 9, 0, tzinfo=UTC)
    early = flag("NON_SNE_CHANNEL", morning, closed=morning.replace(hour=10))
    late = flag("CONTRACT_NOT_DISCLOSED_BEFORE_VISA", morning.replace(hour=11))
    events = case_timeline([], [], [], [], {}, [late, early])
    assert [(event.kind, event.subject.code) for event in events] == [
        ("flag_raised", "NON_SNE_CHANNEL"),
        ("flag_closed", "NON_SNE_CHANNEL"),
        ("flag_raised", "CONTRACT_NOT_DISCLOSED_BEFORE_VISA"),
    ]
