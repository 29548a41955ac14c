"""A page's throughput figure from its rounds: each round a run of the page between two runs of
the trivial page, the figure the median round's ratio (``bench/run.py``)."""

import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Round:
    """One run of a page and the trivial page's runs just before and just after it."""

    result: dict
    before: float
    after: float

    @property
    def ratio(self) -> float:
        return self.result["rps"] / ((self.before + self.after) / 2)


def throughput_figure(rounds: list[Round], target: float | None) -> tuple[str, str, bool | None]:
    """A page's figure, the target and whether it is met: the median round's ratio, with the
    other rounds' and the median round's rates and latencies."""
    median = statistics.median(one.ratio for one in rounds)
    shown = sorted(rounds, key=lambda one: one.ratio)[(len(rounds) - 1) // 2]  # the median's, or below it
    result, baseline = shown.result, (shown.before + shown.after) / 2
    bad_count = sum(one.result["bad"] for one in rounds)
    bad = f", {bad_count} non-2xx/3xx" if bad_count else ""
    errors = [one.result["socket_errors"] for one in rounds]
    errors = [error for error in errors if error and "timeout 0" not in error]
    if errors:
        bad += f", socket errors: {'; '.join(errors)}"
    spread = ", ".join(f"{one.ratio:.1%}" for one in rounds)
    value = (
        f"{median:.1%} of trivial (median of {len(rounds)} rounds: {spread}; in the median round "
        f"{result['rps']:.0f} vs {baseline:.0f} req/s, trivial {shown.before:.0f} before and "
        f"{shown.after:.0f} after; p50 {result['p50']}, p99 {result['p99']}{bad})"
    )
    met = (median >= target and not bad_count) if target else (False if bad_count else None)
    return value, f">= {target:.0%}" if target else "", met


@dataclass(frozen=True)
class Pairs:
    """Two things timed in turn: the ratio of each pair, and what each made the last time."""

    ratios: list[float]
    first_seconds: float  # the median
    second_seconds: float
    first_result: object
    second_result: object

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def alternating(first, second, pairs: int, clock=time.perf_counter) -> Pairs:
    """``first`` and ``second`` run in turn, ``pairs`` times: a ratio per pair (first's time over
    second's), so that a machine that changes pace during the measurement moves both sides of
    each ratio alike, and the figure is their median."""
    ratios, firsts, seconds = [], [], []
    first_result = second_result = None
    for _ in range(pairs):
        started = clock()
        first_result = first()
        middle = clock()
        second_result = second()
        ended = clock()
        firsts.append(middle - started)
        seconds.append(ended - middle)
        ratios.append(firsts[-1] / seconds[-1])
    return Pairs(ratios, statistics.median(firsts), statistics.median(seconds), first_result, second_result)
