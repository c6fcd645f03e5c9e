"""Every page in English and Spanish: the two texts files must say the same things."""

import re

from recruitment.console.texts import CONSOLE_LANGUAGES, phrases

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_phrase_exists_in_every_language() -> None:
    english = phrases("en")
    for language in CONSOLE_LANGUAGES:
        assert set(phrases(language)) == set(english), language


def test_translations_keep_their_placeholders() -> None:
    english = phrases("en")
    for language in CONSOLE_LANGUAGES:
        for key, text in phrases(language).items():
            assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(english[key])), (
                f"{language}: {key}"
            )


def test_no_phrase_is_left_empty() -> None:
    for language in CONSOLE_LANGUAGES:
        assert [key for key, text in phrases(language).items() if not text.strip()] == []
