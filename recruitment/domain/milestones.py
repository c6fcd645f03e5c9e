"""The order of a recruitment's milestones: none can be dated before the one it follows."""

from collections.abc import Mapping
from datetime import date

from recruitment.domain.vocabulary import MILESTONE_EXITS, MILESTONE_PATH


def out_of_order(dates: Mapping[str, date | None]) -> list[tuple[str, str]]:
    """Each (field, message) where a milestone is dated before one that must precede it."""
    problems: list[tuple[str, str]] = []
    previous: tuple[str, date] | None = None
    for milestone in MILESTONE_PATH:
        when = dates.get(milestone)
        if when is None:
            continue
        if previous is not None and when < previous[1]:
            problems.append(
                (
                    milestone,
                    f"{milestone} {when.isoformat()} is before {previous[0]} "
                    f"{previous[1].isoformat()}",
                )
            )
        else:
            previous = (milestone, when)
    recruited = dates.get("recruited")
    arrived = dates.get("arrived")
    for exit_milestone in MILESTONE_EXITS:
        when = dates.get(exit_milestone)
        if when is None:
            continue
        earliest = ("arrived", arrived) if exit_milestone == "departed_early" and arrived else None
        earliest = earliest or (("recruited", recruited) if recruited else None)
        if earliest and when < earliest[1]:
            problems.append(
                (
                    exit_milestone,
                    f"{exit_milestone} {when.isoformat()} is before {earliest[0]} "
                    f"{earliest[1].isoformat()}",
                )
            )
    return problems
