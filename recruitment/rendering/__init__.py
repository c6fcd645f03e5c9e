"""The worker's contract: a PDF in their language, and the two pages that go with it.

No database and no HTTP here: the service builds a `ContractDocument` (or a page context) and gets
back bytes or HTML. Wording, templates, stylesheet and fonts live in the repository's `contracts/`.
"""

from recruitment.rendering.document import (
    ContractDocument,
    DeadlineBasis,
    GrowerParty,
    IdentityDocument,
    IdentityDocumentKind,
    LanguageLink,
    OwedCost,
    Program,
    RecruitmentChainEntry,
    TermsOverride,
    VerificationOutcome,
    VerifiedContract,
    VerifyPageContext,
    WageFloor,
    WageFloorKind,
    WorkerPageContext,
    WorkerParty,
)
from recruitment.rendering.pdf import (
    PANGO_PACKAGES,
    RenderingError,
    RenderingFailed,
    RenderingUnavailable,
    render_contract_html,
    render_link_problem,
    render_pdf,
    render_verify_page,
    render_worker_page,
)
from recruitment.rendering.pool import ContractRenderer, RenderingTimeout
from recruitment.rendering.texts import (
    DEFAULT_CONTRACTS_DIR,
    TextsInvalid,
    missing_keys,
    text_problems,
)

__all__ = [
    "DEFAULT_CONTRACTS_DIR",
    "PANGO_PACKAGES",
    "ContractDocument",
    "ContractRenderer",
    "DeadlineBasis",
    "GrowerParty",
    "IdentityDocument",
    "IdentityDocumentKind",
    "LanguageLink",
    "OwedCost",
    "Program",
    "RecruitmentChainEntry",
    "RenderingError",
    "RenderingFailed",
    "RenderingTimeout",
    "RenderingUnavailable",
    "TermsOverride",
    "TextsInvalid",
    "VerificationOutcome",
    "VerifiedContract",
    "VerifyPageContext",
    "WageFloor",
    "WageFloorKind",
    "WorkerPageContext",
    "WorkerParty",
    "missing_keys",
    "render_contract_html",
    "render_link_problem",
    "render_pdf",
    "render_verify_page",
    "render_worker_page",
    "text_problems",
]
