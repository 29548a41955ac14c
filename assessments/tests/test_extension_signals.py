"""Other apps extend assessments only through the signals of ``assessments.signals``, and the
lifecycle's docstring names every listener, so that a reader of the sign-off knows what runs
inside its transaction."""

from django.dispatch import Signal

from assessments import lifecycle, signals


def _listeners(signal: Signal) -> list:
    return [receiver() for _key, receiver, *_ in signal.receivers if receiver() is not None]


def test_every_listener_of_the_assessments_signals_is_named_in_the_lifecycle_docstring():
    named = lifecycle.__doc__
    found = 0
    for name in dir(signals):
        signal = getattr(signals, name)
        if not isinstance(signal, Signal):
            continue
        assert f"``{name}``" in named, name
        for listener in _listeners(signal):
            assert f"``{listener.__module__}.{listener.__qualname__}``" in named, (name, listener)
            found += 1
    assert found >= 5  # the reporting app listens to every one of them


def test_no_list_of_callables_is_left_for_other_apps_to_append_to():
    assert not hasattr(lifecycle, "SNAPSHOT_EXTRA_PROVIDERS")
    assert not any(isinstance(getattr(lifecycle, name), list) for name in dir(lifecycle) if name.isupper())
