"""Templates and stylesheets may load files from contracts/ and nothing else."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from recruitment.rendering import (
    DEFAULT_CONTRACTS_DIR,
    ContractDocument,
    RenderingFailed,
    render_pdf,
)
from recruitment.rendering.pdf import ResourceRefused, contracts_resource


@pytest.fixture
def contracts_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "contracts"
    shutil.copytree(DEFAULT_CONTRACTS_DIR, copy)
    return copy


def test_a_file_inside_contracts_is_served() -> None:
    font = DEFAULT_CONTRACTS_DIR / "fonts" / "NotoSans-Regular.ttf"

    assert contracts_resource(DEFAULT_CONTRACTS_DIR, font.as_uri()) == font.resolve()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (DEFAULT_CONTRACTS_DIR / "fonts" / ".." / ".." / "pyproject.toml").as_uri(),
        (DEFAULT_CONTRACTS_DIR / "fonts" / "missing.ttf").as_uri(),
        "http://127.0.0.1:9/logo.png",
        "https://example.org/tracker.gif",
        "data:text/css,body{display:none}",
        "file://otherhost/share/logo.png",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(ResourceRefused):
        contracts_resource(DEFAULT_CONTRACTS_DIR, url)


def test_a_symlink_out_of_contracts_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the PDF")
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    (contracts / "logo.png").symlink_to(outside)

    with pytest.raises(ResourceRefused):
        contracts_resource(contracts, (contracts / "logo.png").as_uri())


@pytest.mark.parametrize(
    "element",
    [
        '<img src="file:///etc/hostname">',
        '<img src="../../../../../../etc/hostname">',
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">',
        '<div style="background: url(https://example.org/pixel.gif)">x</div>',
    ],
)
def test_a_template_reaching_outside_contracts_fails_to_render(
    contracts_copy: Path, make_document: Callable[..., ContractDocument], element: str
) -> None:
    template = contracts_copy / "templates" / "contract.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("<body>", f"<body>\n{element}", 1),
        encoding="utf-8",
    )

    with pytest.raises(RenderingFailed, match="outside contracts/"):
        render_pdf(make_document("en"), contracts_copy)
