"""A page's throughput figure: the median of its rounds, each round against the trivial runs
either side of it."""

from bench.rounds import Round, throughput_figure


def measured(rps: float, bad: int = 0, socket_errors: str = "") -> dict:
    return {"rps": rps, "bad": bad, "socket_errors": socket_errors, "p50": "50ms", "p99": "90ms"}


def test_the_figure_is_the_median_round_so_one_disturbed_round_does_not_move_it():
    rounds = [
        Round(measured(100), before=500, after=500),  # 20%
        Round(measured(30), before=500, after=500),  # 6%: a burst of other work
        Round(measured(110), before=540, after=560),  # 20%
    ]

    value, target, met = throughput_figure(rounds, 0.20)

    assert value.startswith("20.0% of trivial (median of 3 rounds: 20.0%, 6.0%, 20.0%;")
    assert "100 vs 500 req/s, trivial 500 before and 500 after" in value
    assert (target, met) == (">= 20%", True)


def test_a_page_short_of_its_target_or_refusing_requests_in_any_round_is_not_met():
    short = [Round(measured(70), 500, 500), Round(measured(74), 500, 500), Round(measured(90), 500, 500)]
    refused = [
        Round(measured(100), 500, 500),
        Round(measured(100, bad=3), 500, 500),
        Round(measured(100), 500, 500),
    ]

    assert throughput_figure(short, 0.15)[2] is False
    value, _target, met = throughput_figure(refused, 0.15)
    assert met is False and "3 non-2xx/3xx" in value


def test_a_page_without_a_target_is_reported_without_a_verdict_unless_it_failed():
    rounds = [Round(measured(40), 500, 500), Round(measured(42, socket_errors="connect 2, read 0"), 480, 520)]

    value, target, met = throughput_figure(rounds, None)

    assert (target, met) == ("", None)
    assert value.startswith("8.2% of trivial (median of 2 rounds: 8.0%, 8.4%;")
    assert "socket errors: connect 2, read 0" in value


def test_pdfs_rendered_in_turn_give_a_ratio_a_pair_whatever_the_machine_does_between_pairs():
    """The machine slows to a third then speeds up: each pair's ratio is still the true one, and
    the figure is their median."""
    from bench.rounds import alternating

    # Moments the clock reads: each pair starts, its first ends, its second ends.
    moments = iter([0, 2, 3, 10, 16, 19, 20, 22, 23])  # 2/1, 6/3, 2/1
    made = []
    pairs = alternating(
        lambda: made.append("full") or "full",
        lambda: made.append("plain") or "plain",
        3,
        clock=lambda: next(moments),
    )
    assert made == ["full", "plain"] * 3
    assert pairs.ratios == [2.0, 2.0, 2.0] and pairs.ratio == 2.0
    assert (pairs.first_seconds, pairs.second_seconds) == (2, 1)
    assert (pairs.first_result, pairs.second_result) == ("full", "plain")


def test_one_disturbed_pair_does_not_move_the_pdf_figure():
    from bench.rounds import alternating

    moments = iter([0, 2, 3, 10, 20, 21, 30, 32, 33])  # 2/1, 10/1 (a burst during one), 2/1
    pairs = alternating(lambda: None, lambda: None, 3, clock=lambda: next(moments))
    assert pairs.ratios == [2.0, 10.0, 2.0] and pairs.ratio == 2.0
