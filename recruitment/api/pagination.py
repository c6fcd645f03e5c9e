from typing import Annotated

from litestar.params import QueryParameter

from recruitment.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

Cursor = Annotated[
    str | None,
    QueryParameter(name="cursor", required=False, max_length=200, description="From next_cursor."),
]
Limit = Annotated[
    int,
    QueryParameter(name="limit", ge=1, le=MAX_PAGE_SIZE, description="Items per page."),
]
DEFAULT_LIMIT = DEFAULT_PAGE_SIZE
