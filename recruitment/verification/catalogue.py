"""The verification catalogue: each flag code's severity, legal source and texts in each language.

The texts live in `catalogue.toml` beside this module so that program staff can edit them without
touching Python. The file is read once per process; a missing code, language, title or explanation
is an error at load time rather than a blank line in front of a worker.
"""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import cast, get_args

from recruitment.domain.vocabulary import LANGUAGES, FlagSeverity, Language
from recruitment.verification.findings import FLAG_CODES, FlagCode, JsonValue

SEVERITIES: tuple[FlagSeverity, ...] = get_args(FlagSeverity)


class CatalogueError(ValueError):
    """The catalogue file is incomplete or malformed; `problems` lists every defect found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class FlagText:
    title: str
    explanation: str


@dataclass(frozen=True)
class CatalogueEntry:
    code: FlagCode
    severity: FlagSeverity
    source: str
    texts: Mapping[Language, FlagText]

    def as_document(self) -> dict[str, JsonValue]:
        return {
            "code": self.code,
            "severity": self.severity,
            "source": self.source,
            "texts": {
                language: {"title": text.title, "explanation": text.explanation}
                for language, text in self.texts.items()
            },
        }


def _non_empty_string(
    table: Mapping[str, object], key: str, where: str, problems: list[str]
) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' is missing or empty")
        return ""
    return value.strip()


def _entry(code: FlagCode, table: Mapping[str, object], problems: list[str]) -> CatalogueEntry:
    severity = table.get("severity")
    if severity not in SEVERITIES:
        problems.append(f"{code}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    source = _non_empty_string(table, "source", code, problems)
    texts: dict[Language, FlagText] = {}
    for language in LANGUAGES:
        language_table = table.get(language)
        if not isinstance(language_table, dict):
            problems.append(f"{code}: no texts in '{language}'")
            continue
        where = f"{code}.{language}"
        texts[language] = FlagText(
            title=_non_empty_string(language_table, "title", where, problems),
            explanation=_non_empty_string(language_table, "explanation", where, problems),
        )
    return CatalogueEntry(
        code=code,
        severity=cast(FlagSeverity, severity),
        source=source,
        texts=MappingProxyType(texts),
    )


def parse_catalogue(text: str) -> Mapping[FlagCode, CatalogueEntry]:
    """Parse and check a catalogue document; raise `CatalogueError` naming every problem."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError([f"not valid TOML: {error}"]) from error
    problems: list[str] = [
        f"{code}: not a flag code" for code in document if code not in FLAG_CODES
    ]
    entries: dict[FlagCode, CatalogueEntry] = {}
    for code in FLAG_CODES:
        table = document.get(code)
        if not isinstance(table, dict):
            problems.append(f"{code}: missing from the catalogue")
            continue
        entries[code] = _entry(code, table, problems)
    if problems:
        raise CatalogueError(problems)
    return MappingProxyType(entries)


@cache
def catalogue() -> Mapping[FlagCode, CatalogueEntry]:
    """The packaged catalogue, read and checked once per process."""
    text = (
        resources.files("recruitment.verification")
        .joinpath("catalogue.toml")
        .read_text(encoding="utf-8")
    )
    return parse_catalogue(text)


def catalogue_document() -> list[dict[str, JsonValue]]:
    """The catalogue as plain JSON-ready data, in catalogue order (for `GET /flags/catalogue`)."""
    return [entry.as_document() for entry in catalogue().values()]
