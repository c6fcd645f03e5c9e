"""Renders contracts off the event loop, in a small pool of worker processes.

WeasyPrint holds the GIL for the whole of a render (0.3-0.4 s), so a thread would stall the event
loop; separate processes don't, and two of them double the throughput on a two-core machine. The
`spawn` start method gives each worker a clean interpreter instead of a fork of a running event
loop and database pool.
"""

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from recruitment.rendering.document import ContractDocument
from recruitment.rendering.pdf import RenderingError, RenderingFailed, render_pdf
from recruitment.rendering.texts import DEFAULT_CONTRACTS_DIR


class RenderingTimeout(RenderingError):
    """A render took longer than allowed, queueing included."""


class ContractRenderer:
    """An async facade over a bounded process pool; one per application, closed at shutdown."""

    def __init__(
        self,
        *,
        max_workers: int = 2,
        timeout_seconds: float = 60.0,
        contracts_dir: Path = DEFAULT_CONTRACTS_DIR,
    ) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        if timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        self._max_workers = max_workers
        self._timeout_seconds = timeout_seconds
        self._contracts_dir = contracts_dir
        self._executor = self._new_executor()

    @property
    def contracts_dir(self) -> Path:
        """Where the templates and texts it renders from are."""
        return self._contracts_dir

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._max_workers, mp_context=multiprocessing.get_context("spawn")
        )

    async def render(self, document: ContractDocument) -> bytes:
        """The contract's PDF bytes, the same as `render_pdf` would give in this process.

        Raises RenderingTimeout, RenderingFailed or RenderingUnavailable. A render that times out
        while still queued is dropped; one already running can't be interrupted and finishes in
        its worker (the job order's size limits bound how long that takes).
        """
        executor = self._executor
        future = asyncio.get_running_loop().run_in_executor(
            executor, render_pdf, document, self._contracts_dir
        )
        try:
            return await asyncio.wait_for(future, self._timeout_seconds)
        except TimeoutError:
            raise RenderingTimeout(
                f"the contract was not rendered within {self._timeout_seconds:g} seconds"
            ) from None
        except BrokenProcessPool as error:
            # A worker died (killed, out of memory): later renders get a fresh pool.
            if self._executor is executor:
                self._executor = self._new_executor()
                executor.shutdown(wait=False, cancel_futures=True)
            raise RenderingFailed("a rendering process stopped unexpectedly") from error

    def close(self) -> None:
        """Stop the workers; renders still queued are cancelled, running ones are awaited."""
        self._executor.shutdown(wait=True, cancel_futures=True)
