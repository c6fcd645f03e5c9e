"""A grower's standing in the program: which changes of program status the program allows.

Suspension is a decision of staff with a written reason; a suspended or withdrawn grower comes
back only through a re-entry audit that passed, closed after the grower left good standing.
"""

from dataclasses import dataclass
from datetime import date

from recruitment.errors import InvalidInput


@dataclass(frozen=True)
class ReEntryAudit:
    kind: str
    outcome: str | None
    closed_on: date | None


def check_transition(
    from_status: str, to_status: str, status_since: date, audit: ReEntryAudit | None
) -> None:
    """Refuse a change the program does not allow; `audit` is the one named in its grounds."""
    if to_status == "re_entry_audit" and from_status not in ("suspended", "withdrawn"):
        raise InvalidInput.of_field(
            "to_status", "Only a suspended or withdrawn grower goes through a re-entry audit."
        )
    if to_status != "participating" or from_status == "participating":
        return
    if audit is None:
        raise InvalidInput.of_field(
            "grounds.audit_id",
            f"A {from_status.replace('_', '-')} grower is reinstated only on a passed re-entry "
            "audit: name it in grounds.audit_id.",
        )
    if audit.kind != "re_entry" or audit.outcome != "passed" or audit.closed_on is None:
        raise InvalidInput.of_field(
            "grounds.audit_id",
            "That audit is not a passed re-entry audit: reinstatement needs one.",
        )
    if audit.closed_on < status_since:
        raise InvalidInput.of_field(
            "grounds.audit_id",
            f"That re-entry audit closed on {audit.closed_on}, before the grower became "
            f"{from_status} on {status_since}: it can't show the corrections since.",
        )
