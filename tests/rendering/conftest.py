"""Fixtures shared by the rendering tests."""

from collections.abc import Callable

import pytest

from recruitment.rendering import ContractDocument

from . import documents


@pytest.fixture(scope="session")
def make_document() -> Callable[..., ContractDocument]:
    """Builds a contract: `make_document("es", long=True)`."""
    return documents.make_document
