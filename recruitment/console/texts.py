"""The console's words, in English and Spanish: one TOML file per language in `texts/`.

Translators edit those files, not the templates. Both must hold the same keys (a test checks), so
a missing translation fails the suite instead of showing a blank to a grower.
"""

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from litestar import Request

ConsoleLanguage = Literal["en", "es"]
CONSOLE_LANGUAGES: tuple[ConsoleLanguage, ...] = get_args(ConsoleLanguage)
DEFAULT_LANGUAGE: ConsoleLanguage = "en"
LANGUAGE_COOKIE = "console_language"


def _flattened(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flattened(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def phrases(language: ConsoleLanguage) -> Mapping[str, str]:
    """Every phrase of one language, by dotted key (`flags.title`)."""
    text = (
        resources.files("recruitment.console")
        .joinpath("texts", f"{language}.toml")
        .read_text(encoding="utf-8")
    )
    return _flattened(tomllib.loads(text))


class Texts:
    """What templates call as `t("key", name=value)`."""

    def __init__(self, language: ConsoleLanguage) -> None:
        self.language = language
        self._phrases = phrases(language)

    def __call__(self, key: str, **values: object) -> str:
        # A missing key is a bug in a template: fail loudly rather than show the key.
        return self._phrases[key].format(**values) if values else self._phrases[key]

    def has(self, key: str) -> bool:
        return key in self._phrases


def chosen_language(value: str | None) -> ConsoleLanguage | None:
    for language in CONSOLE_LANGUAGES:
        if value == language:
            return language
    return None


def _preferred(accept_language: str) -> ConsoleLanguage | None:
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, tag.split("-")[0].strip().lower()))
    for _, primary in sorted(ranked, key=lambda item: -item[0]):
        if language := chosen_language(primary):
            return language
    return None


def language_of(request: Request[Any, Any, Any]) -> ConsoleLanguage:
    """The language the person chose (remembered in a cookie), else what their browser asks for."""
    return (
        chosen_language(request.cookies.get(LANGUAGE_COOKIE))
        or _preferred(request.headers.get("accept-language", ""))
        or DEFAULT_LANGUAGE
    )
