"""Ships contracts/, migrations/ and the roster template inside the wheel.

They live at the top of the repository, where program staff edit the contracts and developers
add migrations, and setuptools' package data only takes files from inside the package. So the
build copies them into `recruitment/_shipped/` (see `recruitment/locations.py`). An editable
install needs no copy: it reads them where they are.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("contracts", "migrations", "docs/roster-template.csv")


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, "recruitment", "_shipped")
        # A build folder left from an earlier build must not keep a file since removed.
        shutil.rmtree(target, ignore_errors=True)
        for name in SHIPPED:
            source, copy = Path(name), target / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                ignored = shutil.ignore_patterns("__pycache__", "*.py[cod]")
                shutil.copytree(source, copy, ignore=ignored, dirs_exist_ok=True)
            else:
                shutil.copy2(source, copy)


setup(cmdclass={"build_py": BuildWithShippedFiles})
