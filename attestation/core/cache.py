"""Django's Redis cache, keeping its redis-py client instead of building a new one for every call.

Building a `redis.Redis` costs about as much as the round trip itself (redis-py 6 checks its arguments on every
construction); a page that reads its session, its person and its table paid that three times. The client is safe
to share: it takes a connection from the same pool for each command.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusedClient(RedisCacheClient):
    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusedClient


def add_then_set(adds: dict[str, object], key: str, value: object, timeout: int) -> None:
    """Each of `adds` stored only where its key is missing (no expiry), then `key` set to `value`: with Redis one
    round trip (a pipeline) instead of one per key; any other cache (the tests' memory cache) key by key."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        for added, added_value in adds.items():
            backend.add(added, added_value, None)
        backend.set(key, value, timeout)
        return
    client = backend._cache.get_client(write=True)
    dumps = backend._cache._serializer.dumps
    pipe = client.pipeline(transaction=False)
    for added, added_value in adds.items():
        pipe.set(backend.make_and_validate_key(added), dumps(added_value), nx=True)
    pipe.set(backend.make_and_validate_key(key), dumps(value), ex=backend.get_backend_timeout(timeout))
    pipe.execute()


# Values a request read from the cache ahead of the code that needs them, in a round trip it made anyway (the student's
# page lookup reads the person with it: attestation/core/student_pages.py); each is taken once, by that code.
_READ_AHEAD: ContextVar[dict[str, object] | None] = ContextVar("cache_read_ahead", default=None)
NOT_READ = object()


@contextmanager
def read_ahead(values: dict[str, object]) -> Iterator[None]:
    """For the code run inside: `values` (key -> what the cache held, None if nothing) were read already."""
    token = _READ_AHEAD.set(values)
    try:
        yield
    finally:
        _READ_AHEAD.reset(token)


def take_read_ahead(key: str) -> object:
    """The value read ahead for `key` in this request (None: it was missing), taken once — a second read of the key in
    the same request asks the cache again — or NOT_READ."""
    values = _READ_AHEAD.get()
    if values is None or key not in values:
        return NOT_READ
    return values.pop(key)
