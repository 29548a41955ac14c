"""The shared cache in Redis, as Django keeps it, with one client object per connection pool.

Django's Redis backend makes a new redis-py client object for every cache call; with redis-py 8
that costs about 50 µs (its constructor checks each argument for deprecation), as much as half
of a cache read from Redis on the same machine. A redis-py client only hands out connections
from its pool and is safe to share between threads, so one per pool serves every call.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
