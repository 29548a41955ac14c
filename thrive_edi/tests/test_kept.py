"""Values kept in the shared cache under marks (``thrive_edi.kept``)."""

import pytest
from django.core.cache import cache

from thrive_edi.kept import kept_under, mark_renew, mark_renew_on_commit

pytestmark = pytest.mark.django_db  # the cache of the tests is a table

KEY, MARK, OTHER = "test:kept:value", "test:kept:mark", "test:kept:other-mark"


def counting():
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    return compute, calls


def test_a_value_is_computed_once_then_read_until_one_of_its_marks_is_renewed():
    compute, calls = counting()
    assert kept_under(KEY, [MARK, OTHER], compute, 60) == "value 1"
    assert kept_under(KEY, [MARK, OTHER], compute, 60) == "value 1"
    mark_renew(OTHER)
    assert kept_under(KEY, [MARK, OTHER], compute, 60) == "value 2"
    assert len(calls) == 2


def test_a_lost_mark_is_made_anew_and_what_was_kept_under_the_old_one_is_not_served():
    compute, _calls = counting()
    kept_under(KEY, [MARK], compute, 60)
    cache.delete(MARK)  # evicted, say
    assert kept_under(KEY, [MARK], compute, 60) == "value 2"
    assert cache.get(MARK) is not None


def test_a_mark_renewed_on_commit_is_renewed_only_when_the_write_commits(django_capture_on_commit_callbacks):
    compute, _calls = counting()
    kept_under(KEY, [MARK], compute, 60)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark_renew_on_commit(MARK)
    assert kept_under(KEY, [MARK], compute, 60) == "value 1"  # not committed yet
    for callback in callbacks:
        callback()
    assert kept_under(KEY, [MARK], compute, 60) == "value 2"
