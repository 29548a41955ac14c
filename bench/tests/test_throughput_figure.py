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
