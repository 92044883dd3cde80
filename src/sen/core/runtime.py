"""How a Sen server process runs Python: set once, after Django is loaded."""

import gc


def collect_cycles_less_often() -> None:
    """Run the cycle collector less often, and never over what loading Django made.

    A request allocates tens of thousands of objects and reference counting frees nearly all
    of them, yet the default first-generation threshold (700 allocations) runs the collector
    many times per request, and now and then a full collection over every object of the
    process. The objects made while loading Django are frozen out of its scans. About 10 %
    more submissions per second, as a share of the bare view's rate measured in the same run
    (docs/benchmarks.md, ADR 12), and fewer full collections that add tens of milliseconds to
    the request they fall in.
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
