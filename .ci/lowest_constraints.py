"""Print pip constraints that hold every direct dependency at its lower bound in pyproject.toml.

`pip install -c <this output> -e '.[test]'` then installs the oldest versions the project says
it works with (as uv's `--resolution lowest-direct` would), through pip and its configuration.
A requirement without a lower bound is left to the resolver.
"""

import re
import sys
import tomllib
from pathlib import Path

LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def lower_bounds(pyproject: Path, extras: list[str]) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    bounds = {}
    for requirement in requirements:
        matched = LOWER_BOUND.match(requirement.split(";")[0])
        if matched is None:
            raise SystemExit(f"can't read the requirement {requirement!r}")
        name, specifiers = matched.groups()
        for specifier in specifiers.split(","):
            if specifier.strip().startswith(">="):
                bounds[name] = specifier.strip().removeprefix(">=").strip()
    bounds.pop(project["name"], None)
    return bounds


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    for name, version in lower_bounds(root / "pyproject.toml", sys.argv[1:]).items():
        sys.stdout.write(f"{name}=={version}\n")
