"""The Redis server tests of the shared cache run against, as deployed."""

import os

import pytest
import redis


def require_redis(url: str) -> None:
    """Skip the test when Redis is not running here, except in CI, where ``.ci/run`` starts it
    and the test may not be skipped."""
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
