"""The collector tuned for a long-lived process that makes many objects per unit of work (a
request, a batch of cases)."""

import gc

# Python collects its youngest generation every 700 new objects by default; a request makes
# thousands, so collection ran many times a request and its pauses stalled concurrent requests.
FIRST_GENERATION_THRESHOLD = 50_000
# A batch (a roster's 2,000 rows, their cases' facts and flags) stays alive until it is written,
# so every 50,000 objects the collector traversed the live batch and moved it to an older
# generation, to traverse it again there. In one 100,000-row roster import collection took
# 2.0 to 2.6 s every 50,000 objects, 0.55 to 0.63 s every 200,000, with 3 MiB more at its
# peak; every 500,000 the peak rose past 200 MiB. A process that serves keeps the lower
# threshold: its pauses are requests' latency.
BATCH_FIRST_GENERATION_THRESHOLD = 200_000


def settle_heap(*, serving: bool) -> None:
    """What start-up built (modules, the app, its routes, the catalogue) lives as long as the
    process: frozen out of the collector's sight, it is not traversed again at every collection
    of the older generations."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    first = FIRST_GENERATION_THRESHOLD if serving else BATCH_FIRST_GENERATION_THRESHOLD
    gc.set_threshold(first, second, third)
