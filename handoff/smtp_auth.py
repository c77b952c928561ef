"""Passwords of [[smtp.users]]: scrypt hashes (hashlib, no extra dependency) and their verification.

A hash reads `scrypt$n=32768,r=8,p=1$<salt>$<key>` (standard base64), so the cost can be raised later
without invalidating the hashes already in settings files.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import re
from concurrent.futures import ThreadPoolExecutor

# 32 MiB and about 0.1 s per check on one core: expensive enough to slow a guesser who got hold of a
# settings file, cheap enough for a script that authenticates per mail.
N, R, P = 1 << 15, 8, 1
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024  # hashlib's default (32 MiB) is just below what N=2^15, r=8 needs
_FORMAT = re.compile(r"^scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=_MAXMEM)
    return f"scrypt$n={n},r={r},p={p}${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def is_password_hash(value: str) -> bool:
    match = _FORMAT.match(value.strip())
    if not match:
        return False
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    # A power of two above 1 (scrypt's own rule) and a cost the check can afford.
    return n > 1 and n & (n - 1) == 0 and 128 * r * n <= _MAXMEM // 2 and 1 <= p <= 16


def verify_password(password: bytes, stored: str) -> bool:
    match = _FORMAT.match(stored.strip())
    if not match:
        return False
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    salt, key = base64.b64decode(match.group(4)), base64.b64decode(match.group(5))
    candidate = hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=len(key), maxmem=_MAXMEM)
    return hmac.compare_digest(candidate, key)


class Users:
    """Checks AUTH credentials off the event loop, at most two at a time (each costs 32 MiB)."""

    def __init__(self, hashes: dict[str, str]) -> None:
        self._hashes = dict(hashes)
        # An unknown name costs the same as a wrong password, so timing does not tell which names exist.
        self._dummy = hash_password(os.urandom(16).hex())
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="smtp-auth")

    def __bool__(self) -> bool:
        return bool(self._hashes)

    def knows(self, name: str) -> bool:
        return name in self._hashes

    async def check(self, name: str, password: bytes) -> bool:
        stored = self._hashes.get(name)
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(self._pool, verify_password, password, stored or self._dummy)
        return ok and stored is not None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
