"""CSV files that arrive as bytes (an upload, a stored job's payload), read as text."""

import io
from collections.abc import Iterator


def csv_lines(text: str) -> Iterator[str]:
    """The lines of a CSV file's text as the csv module wants them from a file opened with
    newline="": split only at line ends, so that a quoted cell keeps a line break or any other
    separator (str.splitlines also splits at U+2028, form feeds and more)."""
    return iter(io.StringIO(text, newline=""))
