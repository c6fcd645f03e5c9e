from recruitment.schemas.common import Output


class RosterProblemRead(Output):
    row: int
    column: str | None
    message: str


class RosterReportRead(Output):
    dry_run: bool
    imported: bool
    rows: int
    problems: list[RosterProblemRead]
    unknown_columns: list[str]
    workers_created: int
    recruitments_created: int
    recruitments_unchanged: int
    hires_created: int
    costs_created: int
    flags_opened: int
