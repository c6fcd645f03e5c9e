from pydantic import Field

from recruitment.schemas.common import Output
from recruitment.schemas.reference_lists import RegistryLinkageRead


class DisclosureProblemRead(Output):
    file: str
    line: int
    column: str | None = Field(description="The column's fiscal-2022 name (cases.csv's header).")
    message: str


class DisclosureImportRead(Output):
    """What an import of OFLC H-2A disclosure files did. Importing the same files again creates
    and changes nothing: every case's job order is then `unchanged`."""

    cases: int = Field(description="Cases imported as job orders.")
    cases_left_out: int = Field(description="Cases that could not be imported (see problems).")
    h2a_labor_contractor_cases: int
    job_orders_created: int
    job_orders_changed: int = Field(description="Given a new version of their terms.")
    job_orders_unchanged: int
    growers_created: int
    growers_matched: int = Field(description="Existing growers the files name (by FEIN or name).")
    contractors_created: int
    contractors_matched: int
    placements_created: int
    placements_changed: int
    placements_removed: int
    placements_not_certified: int = Field(
        description="Places of employment of denied or withdrawn contractor cases: no "
        "placement is made of them."
    )
    rows: dict[str, int] = Field(description="Records read, per file.")
    rows_without_case: dict[str, int] = Field(
        description="Addenda rows whose case is in no file given and has no job order on "
        "record: not imported."
    )
    job_orders_given_addenda: int = Field(
        description="Job orders on record given addenda rows that came without their case."
    )
    cases_not_found: list[str] = Field(
        description="Case numbers of addenda rows with no job order on record."
    )
    unknown_columns: dict[str, list[str]] = Field(description="Columns not read, per file.")
    columns_not_found: dict[str, list[str]] = Field(
        description="Known columns a file lacks, per file, each with the spellings tried."
    )
    problems: list[DisclosureProblemRead] = Field(description="The first 1,000 problems.")
    problem_count: int
    cases_reevaluated: int
    registry_linkage: RegistryLinkageRead = Field(
        description="The H-2A labor contractors linked to the registry's certificates."
    )
