"""Page 1 of a contract, spoken: for workers who don't read, in Spanish and Haitian Creole.

espeak-ng speaks the summary and sox makes it a small file (8 kHz, 8-bit mono WAV: about 8 KB a
second, which every phone plays). Both come from the operating system (`apt-get install espeak-ng
sox`); where either is missing, contracts simply come without audio. The words are the contract's
own page-one texts, so a change there changes what is spoken; native speakers should listen to it.
The worker's name is left out: the verification page, which anyone may open, serves it too.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from recruitment.domain.vocabulary import Language
from recruitment.rendering.document import ContractDocument
from recruitment.rendering.texts import (
    DEFAULT_CONTRACTS_DIR,
    language_format,
    load_texts,
    text_at,
    texts_at,
)

# espeak-ng's voices: Latin American Spanish, and Haitian Creole.
VOICES: dict[Language, str] = {"es": "es-419", "ht": "ht"}
MEDIA_TYPE = "audio/wav"
WORDS_PER_MINUTE = 140  # slower than espeak-ng's 175: clearer on a phone's speaker
SYNTHESIS_TIMEOUT_SECONDS = 60


class SpeechUnavailable(RuntimeError):
    """espeak-ng or sox is not installed."""


def available() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def spoken_summary(document: ContractDocument, contracts_dir: Path = DEFAULT_CONTRACTS_DIR) -> str:
    """Page 1's facts as sentences, in the contract's language."""
    texts = load_texts(contracts_dir)[document.language]

    def say(key: str, **values: str) -> str:
        return text_at(texts, key).format(**values)

    fmt = language_format(contracts_dir, document.language)
    terms = document.terms
    employer = document.grower.trade_name or document.grower.legal_name
    lines = [f"{say('contract.title')}.", f"{say('contract.summary.employer')}: {employer}."]
    if terms.job_title:
        lines.append(f"{say('contract.summary.job')}: {terms.job_title}.")
    if terms.period_start and terms.period_end:
        period = say(
            "common.period", start=fmt.date(terms.period_start), end=fmt.date(terms.period_end)
        )
        lines.append(f"{say('contract.summary.dates')}: {period}.")
    if terms.wage_offer:
        unit = say(f"labels.wage_unit.{terms.wage_unit}") if terms.wage_unit else ""
        lines.append(f"{say('contract.summary.pay')}: {fmt.money(terms.wage_offer)} {unit}.")
    if terms.hours_per_day:
        hours = say("contract.summary.hours_per_day", hours=fmt.number(terms.hours_per_day))
        lines.append(f"{say('contract.summary.hours')}: {hours}.")
    lines.append(say("contract.summary.guarantee"))
    if terms.housing is not None and terms.housing.at_no_cost:
        lines.append(f"{say('contract.summary.housing')}: {say('contract.summary.free')}.")
    lines.append(say("contract.summary.never_pay"))
    never_pay = texts_at(texts, "contract.summary.never_pay_items")
    lines.extend(item.rstrip(";.") + "." for item in never_pay)
    lines.append(say("contract.summary.complaint", program=document.program.name))
    # Digit by digit, as a phone number is read out.
    lines.append(" ".join(c for c in document.program.complaint_line if c.isdigit()) + ".")
    return "\n".join(lines)


def synthesize(text: str, language: Language) -> bytes:
    """The text spoken as a small WAV file."""
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        raise SpeechUnavailable("apt-get install espeak-ng sox")
    spoken = subprocess.run(  # noqa: S603 - fixed programs; the text goes in on stdin
        [espeak, "-v", VOICES[language], "-s", str(WORDS_PER_MINUTE), "--stdin", "--stdout"],
        input=text.encode(), capture_output=True, check=True, timeout=SYNTHESIS_TIMEOUT_SECONDS,
    )  # fmt: skip
    # A file, not a pipe: sox writes the WAV header's lengths once it knows them.
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "summary.wav"
        subprocess.run(  # noqa: S603
            [sox, "--ignore-length", "-t", "wav", "-", "-r", "8000", "-b", "8", "-c", "1",
             str(small)],
            input=spoken.stdout, capture_output=True, check=True,
            timeout=SYNTHESIS_TIMEOUT_SECONDS,
        )  # fmt: skip
        return small.read_bytes()
