"""The embedded PostgreSQL stops with the last process using it, even after a crash."""

import json
import os
import subprocess
import sys
from pathlib import Path

from recruitment.embedded_database import HANDLES_FILE, forget_dead_processes


def test_a_process_that_died_unannounced_no_longer_keeps_the_server_up(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(finished.stdout)
    handles = tmp_path / HANDLES_FILE
    handles.write_text(json.dumps([dead, os.getpid()]))
    forget_dead_processes(tmp_path)
    assert json.loads(handles.read_text()) == [os.getpid()]


def test_no_list_yet_is_left_alone(tmp_path: Path) -> None:
    forget_dead_processes(tmp_path)
    assert not (tmp_path / HANDLES_FILE).exists()
