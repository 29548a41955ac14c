"""The shared cache in Redis: Django's backend, with one redis-py client per connection pool."""

import threading

import pytest

from thrive_edi.redis_cache import SharedClientRedisCache
from thrive_edi.tests.redis_server import require_redis

URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_cache():
    require_redis(URL)
    cache = SharedClientRedisCache(URL, {"KEY_PREFIX": "redis-cache-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_every_call_uses_the_one_client_of_its_pool(shared_cache):
    first = shared_cache._cache.get_client()
    assert shared_cache._cache.get_client(write=True) is first
    assert shared_cache._cache.get_client("a key") is first


def test_it_stores_and_reads_as_djangos_backend_does(shared_cache):
    shared_cache.set("greeting", {"text": "স্বাগতম, வணக்கம் 🌱"}, timeout=60)
    assert shared_cache.get("greeting") == {"text": "স্বাগতম, வணக்கம் 🌱"}
    shared_cache.set_many({"a": 1, "b": 2})
    assert shared_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert shared_cache.add("a", 5) is False
    assert shared_cache.incr("a") == 2
    shared_cache.delete("greeting")
    assert shared_cache.get("greeting", "gone") == "gone"


def test_threads_share_the_client_safely(shared_cache):
    failures = []

    def count(number: int) -> None:
        for step in range(50):
            key = f"thread-{number}"
            shared_cache.set(key, step)
            if shared_cache.get(key) != step:
                failures.append((number, step))

    threads = [threading.Thread(target=count, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert shared_cache.get_many([f"thread-{number}" for number in range(8)]) == {
        f"thread-{number}": 49 for number in range(8)
    }
