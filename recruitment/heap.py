"""The collector tuned for a long-lived process that makes many objects per unit of work (a
request, a batch of cases)."""

import gc

# Python collects its youngest generation every 700 new objects by default; a request makes
# thousands, so collection ran many times a request and its pauses stalled concurrent requests.
FIRST_GENERATION_THRESHOLD = 50_000


def settle_heap() -> None:
    """What start-up built (modules, the app, its routes, the catalogue) lives as long as the
    process: frozen out of the collector's sight, it is not traversed again at every collection
    of the older generations."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)
