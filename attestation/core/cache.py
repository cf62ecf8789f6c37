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
    round trip (a pipeline) instead of one per key, with the writes this request held back (`write_behind`); any other
    cache (the tests' memory cache) key by key."""
    added = [(added_key, added_value, None, True) for added_key, added_value in adds.items()]
    _send(caches["default"], [*_take_held_back(), *added, (key, value, timeout, False)])


# Writes a request holds back to send with the next round trip it makes anyway (`write_behind`): (key, value, timeout,
# only where missing).
_Write = tuple[str, object, int | None, bool]
_HELD_BACK: ContextVar[list[_Write] | None] = ContextVar("cache_held_back", default=None)


@contextmanager
def write_behind() -> Iterator[None]:
    """For the code run inside: a write made with `write_soon` waits for the next round trip the request makes to the
    cache anyway — `get_many_after_writes`, `add_then_set` — and goes in the same pipeline; what is still held back
    at the end is sent then, in one round trip. A student's cold visit stores its session (read from the database)
    with its page's lookup and its person with its page: two round trips less (bench/round_trips.py --cold)."""
    pending: list[_Write] = []
    token = _HELD_BACK.set(pending)
    try:
        yield
    finally:
        _HELD_BACK.reset(token)
        if pending:
            _send(caches["default"], pending)


def write_soon(backend, key: str, value: object, timeout: int | None, *, only_if_missing: bool = False) -> None:
    """`backend.set` (or `add`, `only_if_missing`) now, or held back with the request's next round trip inside
    `write_behind` (the default cache only: another is written at once)."""
    pending = _HELD_BACK.get()
    if pending is None or backend is not caches["default"]:
        (backend.add if only_if_missing else backend.set)(key, value, timeout)
        return
    pending.append((key, value, timeout, only_if_missing))


def get_many_after_writes(keys: list[str]) -> dict:
    """`cache.get_many(keys)`, with the writes this request held back (`write_behind`) sent before it in the same
    round trip."""
    backend = caches["default"]
    pending = _take_held_back()
    if not pending:
        return backend.get_many(keys)
    if not isinstance(backend, RedisCache):
        _write_each(backend, pending)
        return backend.get_many(keys)
    made = {backend.make_and_validate_key(key): key for key in keys}
    pipe = _pipeline(backend, pending)
    pipe.mget(list(made))
    values = pipe.execute()[-1]
    loads = backend._cache._serializer.loads
    return {made[made_key]: loads(value) for made_key, value in zip(made, values, strict=True) if value is not None}


def _take_held_back() -> list[_Write]:
    pending = _HELD_BACK.get()
    if not pending:
        return []
    taken = pending[:]
    pending.clear()
    return taken


def _pipeline(backend: RedisCache, pending: list[_Write]):
    pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
    dumps = backend._cache._serializer.dumps
    for key, value, timeout, only_if_missing in pending:
        seconds = backend.get_backend_timeout(timeout)
        made, dumped = backend.make_and_validate_key(key), dumps(value)
        if seconds == 0:  # as Django's: a timeout of 0 expires the key at once (an add of it stores nothing)
            if not only_if_missing:
                pipe.delete(made)
        else:
            pipe.set(made, dumped, ex=seconds, nx=only_if_missing)
    return pipe


def _send(backend, pending: list[_Write]) -> None:
    """The writes, in one round trip with Redis, else one by one."""
    if isinstance(backend, RedisCache):
        _pipeline(backend, pending).execute()
    else:
        _write_each(backend, pending)


def _write_each(backend, pending: list[_Write]) -> None:
    for key, value, timeout, only_if_missing in pending:
        (backend.add if only_if_missing else backend.set)(key, value, timeout)


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
