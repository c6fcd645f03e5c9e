"""The contract's wording in each language, from `contracts/texts/{language}.toml`.

Program staff edit those files, so they are checked as a whole before anything renders: every key
must exist in every language, with the same kind of value and the same `{placeholders}`, and every
label table must name every value of its vocabulary. A file that fails refuses to load, naming what
is wrong, rather than printing a contract with a hole in it.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import get_args

from recruitment.domain.vocabulary import (
    LANGUAGES,
    CostCategory,
    HousingType,
    IntermediaryKind,
    Language,
    PayFrequency,
    UsState,
    WageUnit,
    WorkerConcern,
)
from recruitment.locations import CONTRACTS_DIR
from recruitment.rendering.document import DeadlineBasis, IdentityDocumentKind, WageFloorKind
from recruitment.rendering.formatting import LanguageFormat, WritingConventions

DEFAULT_CONTRACTS_DIR = CONTRACTS_DIR

# Tables whose keys are a vocabulary's values: a value without a label could not be printed.
_LABEL_TABLES: dict[str, tuple[str, ...]] = {
    "labels.wage_unit": get_args(WageUnit),
    "labels.pay_frequency": get_args(PayFrequency),
    "labels.housing_type": get_args(HousingType),
    "labels.intermediary_kind": get_args(IntermediaryKind),
    "labels.cost_category": get_args(CostCategory),
    "labels.deadline_basis": get_args(DeadlineBasis),
    "labels.identity_document": get_args(IdentityDocumentKind),
    "labels.wage_floor_kind": get_args(WageFloorKind),
    "labels.language": LANGUAGES,
    "complaint_form.concerns": get_args(WorkerConcern),
    "states": get_args(UsState),
}
_MONTHS_KEY = "calendar.months"
# Patterns and the placeholders each must name, no more and no fewer.
_PATTERNS: dict[str, frozenset[str]] = {
    "calendar.date": frozenset({"day", "month", "year"}),
    "money.pattern": frozenset({"amount", "symbol"}),
}


class TextsInvalid(ValueError):
    """The texts files disagree with each other or miss something the documents need."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("contract texts are invalid: " + "; ".join(problems))
        self.problems = problems


class TextTable:
    """One table of a texts file, read as `t.contract.pay.heading` in the templates."""

    __slots__ = ("_entries", "_path")

    def __init__(self, path: str, entries: Mapping[str, TextValue]) -> None:
        self._path = path
        self._entries = dict(entries)

    def __getattr__(self, name: str) -> TextValue:
        # Dunder lookups (copy, pickle) must not be mistaken for text keys.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._entries[name]
        except KeyError:
            raise AttributeError(f"no text {self._path}.{name}") from None

    def __getitem__(self, name: str) -> TextValue:
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[TextValue]:
        return iter(self._entries.values())


# Defined after the class it names; the class's own annotations are read lazily.
TextValue = str | tuple[str, ...] | TextTable


def _value_at(texts: TextTable, path: str) -> TextValue:
    value: TextValue = texts
    for key in path.split("."):
        if not isinstance(value, TextTable):
            raise KeyError(path)
        value = value[key]
    return value


def text_at(texts: TextTable, path: str) -> str:
    """One text by its dotted key, for Python callers: `text_at(texts, "meta.language_name")`."""
    value = _value_at(texts, path)
    if not isinstance(value, str):
        raise TypeError(f"{path} is not a single text")
    return value


def texts_at(texts: TextTable, path: str) -> tuple[str, ...]:
    """A list of texts by its dotted key (paragraphs, items)."""
    value = _value_at(texts, path)
    if not isinstance(value, tuple):
        raise TypeError(f"{path} is not a list of texts")
    return value


def month_names(texts: TextTable) -> tuple[str, ...]:
    value = _value_at(texts, _MONTHS_KEY)
    if not isinstance(value, tuple):
        raise TypeError(f"{_MONTHS_KEY} is not a list of texts")
    return value


def writing_conventions(texts: TextTable) -> WritingConventions:
    """How the texts' language writes dates, numbers and money (`[calendar]`, `[numbers]`...)."""
    return WritingConventions(
        month_names=month_names(texts),
        date_pattern=text_at(texts, "calendar.date"),
        decimal_separator=text_at(texts, "numbers.decimal_separator"),
        group_separator=text_at(texts, "numbers.group_separator"),
        money_pattern=text_at(texts, "money.pattern"),
        currency_symbols=names(texts, "money.symbols"),
    )


def names(texts: TextTable, table: str) -> dict[str, str]:
    """A table of plain names (countries, states) as a mapping, for Python callers."""
    value = _value_at(texts, table)
    if not isinstance(value, TextTable):
        raise TypeError(f"{table} is not a table")
    return {key: entry for key, entry in value._entries.items() if isinstance(entry, str)}


@cache
def load_texts(contracts_dir: Path = DEFAULT_CONTRACTS_DIR) -> Mapping[Language, TextTable]:
    """Every language's texts, checked, read once per process."""
    raw = _read_files(contracts_dir)
    problems = _problems(raw)
    if problems:
        raise TextsInvalid(problems)
    return {language: _table(language, tree) for language, tree in raw.items()}


def missing_keys(contracts_dir: Path = DEFAULT_CONTRACTS_DIR) -> dict[Language, list[str]]:
    """For each language, the keys that another language has and this one lacks."""
    flat = {language: _flatten(tree) for language, tree in _read_files(contracts_dir).items()}
    every_key = set().union(*flat.values())
    return {language: sorted(every_key - keys.keys()) for language, keys in flat.items()}


def text_problems(contracts_dir: Path = DEFAULT_CONTRACTS_DIR) -> list[str]:
    """Everything that stops the texts from loading; empty when they are fine."""
    return _problems(_read_files(contracts_dir))


def _read_files(contracts_dir: Path) -> dict[Language, dict[str, object]]:
    texts_dir = contracts_dir / "texts"
    return {
        language: tomllib.loads((texts_dir / f"{language}.toml").read_text(encoding="utf-8"))
        for language in LANGUAGES
    }


def _flatten(tree: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _placeholders(value: object) -> set[str] | None:
    """The `{names}` in a text or list of texts; None when the value is not text at all."""
    if isinstance(value, str):
        texts = [value]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        texts = value
    else:
        return None
    return {
        field
        for text in texts
        for _, field, _, _ in string.Formatter().parse(text)
        if field is not None
    }


def _problems(raw: Mapping[Language, Mapping[str, object]]) -> list[str]:
    problems: list[str] = []
    flat = {language: _flatten(tree) for language, tree in raw.items()}
    every_key = sorted(set().union(*flat.values()))
    for key in every_key:
        placeholders: dict[Language, set[str]] = {}
        for language, entries in flat.items():
            if key not in entries:
                problems.append(f"{language}: missing {key}")
                continue
            try:
                found = _placeholders(entries[key])
            except ValueError as error:
                problems.append(f"{language}: {key} has a broken {{placeholder}}: {error}")
                continue
            if found is None:
                problems.append(f"{language}: {key} must be a text or a list of texts")
            else:
                placeholders[language] = found
        if len({frozenset(names) for names in placeholders.values()}) > 1:
            described = ", ".join(
                f"{language} {{{', '.join(sorted(names))}}}"
                for language, names in placeholders.items()
            )
            problems.append(f"{key}: placeholders differ between languages: {described}")
    for language, entries in flat.items():
        for table, values in _LABEL_TABLES.items():
            problems.extend(
                f"{language}: missing {table}.{value}"
                for value in values
                if f"{table}.{value}" not in entries
            )
        months = entries.get(_MONTHS_KEY)
        if not isinstance(months, list) or len(months) != 12:
            problems.append(f"{language}: {_MONTHS_KEY} must list the 12 months")
        for key, required in _PATTERNS.items():
            try:
                named = _placeholders(entries.get(key))
            except ValueError:
                continue  # said above, as a broken placeholder
            if named is not None and named != required:
                problems.append(
                    f"{language}: {key} must name {{{'}, {'.join(sorted(required))}}} and"
                    " nothing else"
                )
    # A missing label is both a parity problem and a coverage problem: say it once.
    return list(dict.fromkeys(problems))


def _table(path: str, tree: Mapping[str, object]) -> TextTable:
    entries: dict[str, TextValue] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            entries[key] = _table(f"{path}.{key}", value)
        elif isinstance(value, list):
            entries[key] = tuple(str(item) for item in value)
        else:
            entries[key] = str(value)
    return TextTable(path, entries)


@cache
def language_format(contracts_dir: Path, language: Language) -> LanguageFormat:
    """How `language` writes dates, numbers, money and country names, as its texts file says."""
    texts = load_texts(contracts_dir)[language]
    return LanguageFormat(language, writing_conventions(texts), names(texts, "countries"))
