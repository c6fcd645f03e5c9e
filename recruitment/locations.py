"""Where the service finds the files it reads that are not Python code.

`contracts/` (the texts, templates and fonts program staff edit), `migrations/` and
`docs/roster-template.csv` sit at the top of the repository, where people edit them. A wheel
carries copies of them inside the package, in `recruitment/_shipped/` (setup.py's build step puts
them there), so that an installed service finds them without a clone; an editable install or a
source checkout reads the repository's own.
"""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_WHEEL_COPIES = _PACKAGE_DIR / "_shipped"

SHIPPED_ROOT = _WHEEL_COPIES if _WHEEL_COPIES.is_dir() else _PACKAGE_DIR.parent
CONTRACTS_DIR = SHIPPED_ROOT / "contracts"
MIGRATIONS_DIR = SHIPPED_ROOT / "migrations"
ROSTER_TEMPLATE = SHIPPED_ROOT / "docs" / "roster-template.csv"
