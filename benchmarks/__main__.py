"""Every benchmark in one run, and one table of its figures beside their baselines and targets.

    python -m benchmarks [--only hires,contracts,roster,reverify,complaints] [--hires 2000]
                         [--renders 30] [--rows 100000] [--cases 100000] [--complaints 500]
                         [--database-url URL] [--profile DIR]

Each measurement runs in a scratch database of its own, on one server: the given one, or a
throwaway embedded PostgreSQL. Each baseline is measured in the same run as its figure.
With --profile, each measure writes a cProfile summary, DIR/<measure>.txt (and the raw .prof):
the hires measure profiles its served server and its in-process count of statements, the roster
measure its importing process.
"""

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import complaint_intake, contracts, hires, reverify, roster_import
from benchmarks.figures import (
    PROFILE_DIRECTORY_VARIABLE,
    Row,
    describe_machine,
    format_table,
    profiled,
)
from benchmarks.scratch import add_database_argument, database_server

MEASUREMENTS = ("hires", "contracts", "roster", "reverify", "complaints")
BASELINES = {"hires": hires.BASELINE, "roster": roster_import.BASELINE}


def measurement_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(MEASUREMENTS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown {', '.join(unknown) or 'nothing'}: choose from {', '.join(MEASUREMENTS)}"
        )
    return names


# The measures whose work runs in another process, which profiles itself.
OWN_PROFILERS = frozenset({"hires", "roster"})


async def measure(name: str, server: str, arguments: argparse.Namespace) -> list[Row]:
    match name:
        case "hires":
            throughput = await hires.measure(
                server, arguments.hires, arguments.concurrency, arguments.server_workers
            )
            return throughput.table_rows()
        case "contracts":
            rendering = await contracts.measure(server, arguments.renders, arguments.serves)
            return rendering.table_rows()
        case "roster":
            imported = await roster_import.measure(server, arguments.rows)
            return imported.table_rows()
        case "reverify":
            reverified = await reverify.measure(server, arguments.cases)
            return reverified.table_rows()
        case "complaints":
            intake = await complaint_intake.measure(
                server, arguments.complaints, arguments.intake_concurrency
            )
            return intake.table_rows()
    raise ValueError(name)


async def measure_all(server: str, arguments: argparse.Namespace) -> list[Row]:
    rows = []
    for name in MEASUREMENTS:
        if name in arguments.only:
            started = time.perf_counter()
            print(f"measuring {name}...", file=sys.stderr, flush=True)
            # The hires measure profiles its own server, the roster measure its importing
            # process: a second profiler would blind the first.
            with contextlib.nullcontext() if name in OWN_PROFILERS else profiled(name):
                rows += await measure(name, server, arguments)
            elapsed = time.perf_counter() - started
            print(f"measured {name} in {elapsed:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--only",
        type=measurement_names,
        default=list(MEASUREMENTS),
        help=f"a comma-separated subset of {','.join(MEASUREMENTS)} (default: all)",
    )
    for module in (hires, contracts, roster_import, reverify, complaint_intake):
        module.add_arguments(parser)
    add_database_argument(parser)
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="write a cProfile summary of each measure to DIR/<measure>.txt",
    )
    arguments = parser.parse_args(argv)
    if arguments.profile:
        os.environ[PROFILE_DIRECTORY_VARIABLE] = str(Path(arguments.profile).resolve())
    load_before = os.getloadavg()[0]
    with database_server(arguments.database_url) as server:
        rows = asyncio.run(measure_all(server, arguments))
    load_after = os.getloadavg()[0]
    print(f"{describe_machine()}; load average {load_before:.1f} before, {load_after:.1f} after")
    print(format_table(rows))
    for name, baseline in BASELINES.items():
        if name in arguments.only:
            print(f"baseline of {name}: {baseline}")
    if arguments.profile:
        print(f"profiles: {os.environ[PROFILE_DIRECTORY_VARIABLE]}/*.txt")


if __name__ == "__main__":
    main()
