"""What the benchmarks measure with (stopwatches, percentiles, memory) and the table they print."""

import asyncio
import cProfile
import math
import multiprocessing
import os
import platform
import pstats
import resource
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# The clone the benchmarks run from: the commit they measure, the server they start.
REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Timing:
    seconds: float
    # This process's CPU time: with other work on the machine, the wall clock alone misleads.
    cpu_seconds: float


class Stopwatch:
    def __init__(self) -> None:
        self._started = time.perf_counter(), time.process_time()

    def read(self) -> Timing:
        wall, cpu = self._started
        return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value that `fraction` of the values reach."""
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * fraction) - 1, 0)]


Result = TypeVar("Result")


async def in_a_process_of_its_own(function: Callable[..., Result], *arguments: Any) -> Result:
    """`function(*arguments)` in a new, spawned process: its peak memory is then its own, not
    that of what this process built before it."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        return await asyncio.get_running_loop().run_in_executor(child, function, *arguments)


def cpu_seconds_of(pid: int) -> float | None:
    """The CPU time another process of this machine has used so far (a PostgreSQL backend, say),
    or None when it can't be read (a server on another machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime: fields 14 and 15 of proc_pid_stat(5), the 12th and 13th after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib() -> float:
    # Kibibytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def describe_machine() -> str:
    """The date, the commit (`-dirty` with uncommitted changes), the processor, cores, memory."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],  # noqa: S607
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    today = datetime.now(UTC).date()
    return f"{today}, commit {commit or '?'}, {cpu}, {os.cpu_count()} cores, {memory_gib:.0f} GiB"


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure beside the baseline measured in the same run, if any."""

    measure: str
    ours: float
    decimals: int = 0
    baseline: float | None = None
    target: str = ""
    # Whether the target is met; None when there is no target.
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """Ours divided by the baseline: for a rate, the share of the baseline's speed."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.ours / self.baseline


def format_table(rows: Sequence[Row]) -> str:
    header = ("measure", "ours", "baseline", "ratio", "target", "met?")
    lines = [
        (
            row.measure,
            f"{row.ours:,.{row.decimals}f}",
            "-" if row.baseline is None else f"{row.baseline:,.{row.decimals}f}",
            "-" if row.ratio is None else f"{row.ratio:.3f}",
            row.target or "-",
            {True: "yes", False: "NO", None: "-"}[row.met],
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in (header, *lines)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first, *numbers = (
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join((first, *numbers)).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *map(line, lines)])


class StatementCounter:
    """Counts the SQL statements the engine sends (an executemany batch counts once)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *_: object) -> None:
        self.count += 1


# --- Profiles ------------------------------------------------------------------------------------

# Set by `python -m benchmarks --profile DIR`: where each measure writes where its time went.
PROFILE_DIRECTORY_VARIABLE = "RECRUITMENT_BENCHMARK_PROFILES"
PROFILE_LINES = 35


def profile_directory() -> Path | None:
    directory = os.environ.get(PROFILE_DIRECTORY_VARIABLE)
    return Path(directory) if directory else None


def write_profile_summary(raw: Path, summary: Path) -> None:
    """A cProfile dump as text: the functions with the most time of their own, then the most
    time below them."""
    with summary.open("w", encoding="utf-8") as out:
        statistics = pstats.Stats(str(raw), stream=out).strip_dirs()
        for order in ("tottime", "cumulative"):
            out.write(f"=== by {order}\n")
            statistics.sort_stats(order).print_stats(PROFILE_LINES)


@contextmanager
def profiled(name: str) -> Iterator[None]:
    """cProfile this process for the block, when profiles were asked for."""
    directory = profile_directory()
    if directory is None:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        raw = directory / f"{name}.prof"
        profile.dump_stats(raw)
        write_profile_summary(raw, directory / f"{name}.txt")
