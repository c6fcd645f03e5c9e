"""The console's pages, one module per part of the domain."""

from typing import Annotated

from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
Cursor = Annotated[str | None, QueryParameter(required=False, max_length=200)]
