"""Work that only one process may do at a time, across every app server and worker.

A PostgreSQL advisory lock, taken for the length of the work and released when it ends, or by
PostgreSQL itself when the process holding it dies. Other databases have one writer at a time
and no such locks: there the work always goes ahead.
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def _namespace(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF  # PostgreSQL's lock keys are signed 32-bit


@contextmanager
def exclusive(name: str, key: int) -> Iterator[bool]:
    """Take the lock on (name, key) if nobody holds it: yields True to the one process that did,
    False (without waiting) to every other one while it is held."""
    if connection.vendor != "postgresql":
        yield True
        return
    if not 0 <= key < 2**31:
        raise ValueError(f"A lock key must fit in 31 bits, not {key}.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_namespace(name), key])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_namespace(name), key])
