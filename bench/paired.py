"""Times the app's path and the plain tool's path alternately, so a change of load hits both alike.

Timing every app run and then every plain run lets the machine's load move between the two blocks and the ratio
with it (one portfolio run swung from 0.79× to 2.6× at load 3-7). Here each round runs the app, then the plain
tool, and the ratio reported is the median of the rounds' own ratios.
"""

import statistics
import time
from collections.abc import Callable


def paired(app: Callable[[], object], plain: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median app seconds, median plain seconds, median of each round's app/plain ratio)."""
    app_s, plain_s = [], []
    for _ in range(runs):
        start = time.perf_counter()
        app()
        app_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain()
        plain_s.append(time.perf_counter() - start)
    ratios = [a / p for a, p in zip(app_s, plain_s, strict=True)]
    return statistics.median(app_s), statistics.median(plain_s), statistics.median(ratios)
