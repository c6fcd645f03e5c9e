from pydantic import Field

from recruitment.schemas.common import Output
from recruitment.schemas.reference_lists import RowProblemRead


class DebarmentImportRead(Output):
    """What an import of the H-2A debarment list did: importing the same list again creates
    and changes nothing (every entry `unchanged`)."""

    entries: int = Field(description="Entries read.")
    created: int
    changed: int
    unchanged: int
    rows_refused: int
    problems: list[RowProblemRead] = Field(description="Each problem of a refused row.")
    unknown_columns: list[str]
    cases_reevaluated: int
