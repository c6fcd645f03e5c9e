"""Turns a `ContractDocument` into PDF bytes, and the two web pages into HTML, synchronously.

Everything a reader sees comes from `contracts/`: the Jinja templates, the stylesheet, the fonts
and the texts. WeasyPrint is imported only when a PDF is asked for, so the service starts (and
serves its pages) on a machine without Pango, and a contract request then says what to install.

The PDF is reproducible: the same document gives the same bytes in any process. Its dates come from
`issued_at`, it carries no random identifier, and SOURCE_DATE_EPOCH pins the timestamp that
fontTools would otherwise stamp into each embedded font subset. (With the system's
libharfbuzz-subset0 present, WeasyPrint subsets with HarfBuzz instead: no timestamp, and renders
twice as fast. The two subsetters give different bytes: compare PDFs made on one kind of machine.)

Template, texts and layout failures all surface as `RenderingFailed`, with a message fit to show
(it names template files and text keys, never the worker's data); the details go to the log.
"""

import atexit
import logging
import mimetypes
import os
import string
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup, escape

from recruitment.domain.vocabulary import Language, WorkerConcern
from recruitment.rendering.document import (
    ComplaintFormContext,
    ComplaintSentContext,
    ContractDocument,
    VerifyPageContext,
    WorkerPageContext,
)
from recruitment.rendering.texts import (
    DEFAULT_CONTRACTS_DIR,
    TextsInvalid,
    language_format,
    load_texts,
    text_at,
)

logger = logging.getLogger(__name__)

PANGO_PACKAGES = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
# Any fixed instant will do: it only has to be the same in every process.
_FONT_SUBSET_EPOCH = "0"
# WeasyPrint keeps state in the shared font configuration: one render at a time per process. (In
# the pool, each worker process renders one contract at a time anyway.)
_RENDER_LOCK = threading.Lock()
_CSS_COUNTERS = {"page": "counter(page)", "pages": "counter(pages)"}


class RenderingError(Exception):
    """A contract could not be rendered. Messages are safe to show: no personal data."""


class RenderingUnavailable(RenderingError):
    """This machine cannot render PDFs: WeasyPrint's system libraries are missing."""


class RenderingFailed(RenderingError):
    """Rendering this document failed; the details are in the log."""


class ResourceRefused(ValueError):
    """A template or stylesheet asked for something outside `contracts/`."""


def contracts_resource(contracts_dir: Path, url: str) -> Path:
    """The file under `contracts_dir` that a `file:` URL names; anything else is refused.

    Templates and stylesheets are edited by program staff, and a PDF goes to a worker: neither
    may pull in a remote resource or a file from elsewhere on the server.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"only files under contracts/ may be loaded, not {url!r}")
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_relative_to(contracts_dir.resolve()) or not path.is_file():
        raise ResourceRefused(f"{url!r} is not a file under contracts/")
    return path


def fill(text: str, **values: object) -> Markup:
    """A text with its `{placeholders}` filled in, everything escaped except ready-made markup."""
    parts: list[Markup] = []
    for literal, field, _, _ in string.Formatter().parse(text):
        parts.append(escape(literal))
        if field is not None:
            parts.append(escape(values[field]))
    return Markup("").join(parts)


def strong(value: object) -> Markup:
    return Markup("<strong>{}</strong>").format(value)


def nowrap(value: object) -> Markup:
    """Keeps a phone number or an amount on one line."""
    return Markup('<span class="nowrap">{}</span>').format(value)


def _css_string(text: str) -> str:
    # `<` is escaped too, so that no text can close the <style> element it is printed in.
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    )
    return f'"{escaped}"'


def css_content(text: str, **values: str) -> Markup:
    """A text as a CSS `content` value; `{page}` and `{pages}` become page counters."""
    tokens: list[str] = []
    for literal, field, _, _ in string.Formatter().parse(text):
        if literal:
            tokens.append(_css_string(literal))
        if field is not None:
            tokens.append(_CSS_COUNTERS.get(field) or _css_string(values[field]))
    # Safe: every token is either a fixed counter or a string escaped by _css_string.
    return Markup(" ".join(tokens))  # noqa: S704


def qr_svg(url: str) -> Markup:
    """The QR code for a URL, as inline SVG: nothing to fetch, crisp at any zoom."""
    code = segno.make(url, error="m")
    # Safe: segno writes the URL as modules of a path, never as text in the markup.
    return Markup(code.svg_inline(omitsize=True, border=4, svgclass="qr", lineclass=None))  # noqa: S704


@cache
def _environment(contracts_dir: Path) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(contracts_dir / "templates"),
        autoescape=True,
        # A key missing from the texts, or a misspelt one in a template, must stop the render.
        undefined=StrictUndefined,
        # Templates, texts and stylesheet are all read once per process: edits apply together.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(fill=fill, css_content=css_content)
    environment.filters.update(strong=strong, nowrap=nowrap)
    return environment


def _render_template(
    contracts_dir: Path, template: str, language: Language, **context: object
) -> str:
    try:
        texts = load_texts(contracts_dir)[language]
        return (
            _environment(contracts_dir)
            .get_template(template)
            .render(t=texts, f=language_format(contracts_dir, language), lang=language, **context)
        )
    except TextsInvalid as error:
        # Names keys and files only, and tells staff what to fix.
        raise RenderingFailed(str(error)) from error
    except TemplateError as error:
        logger.exception("template %s failed", template)
        raise RenderingFailed(f"the template {template} failed; see the service log") from error


def render_contract_html(
    document: ContractDocument, contracts_dir: Path = DEFAULT_CONTRACTS_DIR
) -> str:
    """The contract as the HTML that WeasyPrint lays out (useful to preview a template edit)."""
    return _render_template(
        contracts_dir,
        "contract.html",
        document.language,
        doc=document,
        terms=document.terms,
        qr=qr_svg(document.verification_url),
    )


def render_worker_page(
    context: WorkerPageContext, contracts_dir: Path = DEFAULT_CONTRACTS_DIR
) -> str:
    """The worker's page, `GET /c/{token}`: key terms, the PDF, and the receipt button."""
    document = context.document
    return _render_template(
        contracts_dir,
        "worker_page.html",
        document.language,
        page=context,
        doc=document,
        terms=document.terms,
    )


def render_complaint_form(
    context: ComplaintFormContext, contracts_dir: Path = DEFAULT_CONTRACTS_DIR
) -> str:
    """The worker's report form, in the contract's language."""
    document = context.document
    return _render_template(
        contracts_dir, "complaint_form.html", document.language, page=context, doc=document,
        concerns=get_args(WorkerConcern),
    )  # fmt: skip


def render_complaint_sent(
    context: ComplaintSentContext, contracts_dir: Path = DEFAULT_CONTRACTS_DIR
) -> str:
    """The page that confirms a worker's report and gives its reference."""
    document = context.document
    return _render_template(
        contracts_dir, "complaint_sent.html", document.language, page=context, doc=document
    )


def render_verify_page(
    context: VerifyPageContext, contracts_dir: Path = DEFAULT_CONTRACTS_DIR
) -> str:
    """The public verification page, `GET /verify/{code}`: nothing about the worker."""
    # Each language is offered under its own name: a visitor who can't read this page's language
    # still finds theirs.
    texts = load_texts(contracts_dir)
    own_names = {language: text_at(texts[language], "meta.language_name") for language in texts}
    return _render_template(
        contracts_dir, "verify_page.html", context.language, page=context, own_names=own_names
    )


# The order the link-problem page says things in: most workers read Spanish.
LINK_PROBLEM_LANGUAGES: tuple[Language, ...] = ("es", "ht", "en")


def render_link_problem(
    problem: Literal["not_found", "too_many", "unreadable"],
    seconds: int = 0,
    contracts_dir: Path = DEFAULT_CONTRACTS_DIR,
    field: str = "",
) -> str:
    """The page of a contract link that leads nowhere, of a client that asked too often, or of
    a link or code with a character no link holds (`field` names which part)."""
    texts = load_texts(contracts_dir)
    sections = [(language, texts[language]) for language in LINK_PROBLEM_LANGUAGES]
    return _render_template(
        contracts_dir, "link_problem.html", "es", problem=problem, seconds=seconds,
        field=field, sections=sections,
    )  # fmt: skip


@dataclass(frozen=True)
class _WeasyPrint:
    """What one process reuses between renders: parsing the stylesheet and loading the fonts
    cost a fifth of a render."""

    html: Any
    fetcher: Any
    font_config: Any
    stylesheet: Any
    base_url: str


def _import_weasyprint() -> Any:
    try:
        import weasyprint  # lazily: see the module docstring
    except (ImportError, OSError) as error:
        raise RenderingUnavailable(
            "PDF rendering needs WeasyPrint and the Pango text library (>= 1.44); "
            f"install them with: {PANGO_PACKAGES}"
        ) from error
    return weasyprint


def _contracts_only_fetcher(contracts_dir: Path) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ContractsOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            path = contracts_resource(contracts_dir, url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    # Fatal: a refused or missing resource stops the render instead of leaving a hole in the PDF.
    return ContractsOnlyFetcher(fail_on_errors=True)


@cache
def _weasyprint(contracts_dir: Path) -> _WeasyPrint:
    # Dropped before the interpreter tears its modules down: FontConfiguration's finaliser
    # needs Pango's bindings, which are gone by the time a cached one would be collected.
    atexit.register(_weasyprint.cache_clear)
    weasyprint = _import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _contracts_only_fetcher(contracts_dir)
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(
        filename=contracts_dir / "contract.css", url_fetcher=fetcher, font_config=font_config
    )
    return _WeasyPrint(
        html=weasyprint.HTML,
        fetcher=fetcher,
        font_config=font_config,
        stylesheet=stylesheet,
        base_url=contracts_dir.resolve().as_uri() + "/",
    )


def render_pdf(document: ContractDocument, contracts_dir: Path = DEFAULT_CONTRACTS_DIR) -> bytes:
    """The contract as PDF bytes, in this process. Blocks for a few tenths of a second: from async
    code use `ContractRenderer`, which runs this in a process pool."""
    html = render_contract_html(document, contracts_dir)
    _import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    with _RENDER_LOCK:
        os.environ["SOURCE_DATE_EPOCH"] = _FONT_SUBSET_EPOCH
        try:
            weasyprint = _weasyprint(contracts_dir)
            page = weasyprint.html(
                string=html, base_url=weasyprint.base_url, url_fetcher=weasyprint.fetcher
            )
            pdf: bytes = page.write_pdf(
                stylesheets=[weasyprint.stylesheet], font_config=weasyprint.font_config
            )
        # A BaseException: WeasyPrint means it to get past every `except Exception` on its way.
        except FatalURLFetchingError as error:
            logger.error("contract %s: %s", document.verification_code, error)
            raise RenderingFailed(
                "a contract template or stylesheet refers to something outside contracts/, "
                "or to a file that does not exist"
            ) from error
        except Exception as error:
            logger.exception("WeasyPrint failed for %s", document.verification_code)
            raise RenderingFailed(
                "the contract could not be laid out; see the service log"
            ) from error
    return pdf


def render_annual_report_pdf(
    report: Mapping[str, Any], program_name: str, contracts_dir: Path = DEFAULT_CONTRACTS_DIR
) -> bytes:
    """The annual program report (templates/annual_report.html) as PDF bytes, in the contract's
    fonts. One page of figures: fast enough for a thread, no process pool needed."""
    try:
        html = (
            _environment(contracts_dir)
            .get_template("annual_report.html")
            .render(report=report, program_name=program_name)
        )
    except TemplateError as error:
        logger.exception("template annual_report.html failed")
        raise RenderingFailed("the annual report template failed; see the service log") from error
    _import_weasyprint()
    with _RENDER_LOCK:
        os.environ["SOURCE_DATE_EPOCH"] = _FONT_SUBSET_EPOCH
        weasyprint = _weasyprint(contracts_dir)
        document = weasyprint.html(
            string=html, base_url=weasyprint.base_url, url_fetcher=weasyprint.fetcher
        )
        pdf: bytes = document.write_pdf(
            stylesheets=[weasyprint.stylesheet], font_config=weasyprint.font_config
        )
    return pdf
