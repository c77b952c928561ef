"""PostgreSQL for the suite: the machine's server (127.0.0.1:5432, database `test`; `HANDOFF_TEST_PG`
overrides the URL), a fresh schema per test, dropped after, so runs and tests never see each other's rows.

Unreachable PostgreSQL fails the tests under CI (`.ci/run` starts it) and skips them, saying why,
elsewhere: they are never skipped silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

PG_URL = os.environ.get("HANDOFF_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_checked: list[str | None] = []


def with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


async def _problem() -> str | None:
    import asyncpg

    try:
        conn = await asyncpg.connect(PG_URL, timeout=5)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


async def require_pg() -> None:
    if not _checked:
        _checked.append(await _problem())
    problem = _checked[0]
    if problem is None:
        return
    message = f"PostgreSQL at {PG_URL} is unreachable ({problem}); set HANDOFF_TEST_PG or start it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@asynccontextmanager
async def fresh_schema(prefix: str = "t") -> AsyncIterator[str]:
    """The URL of a schema nobody else uses; dropped with everything in it afterwards."""
    import asyncpg

    await require_pg()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        yield with_schema(PG_URL, name)
    finally:
        conn = await asyncpg.connect(PG_URL, timeout=10)
        try:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        finally:
            await conn.close()


async def fetch(url: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Rows from the schema in `url`, read over a connection of its own (as another process would)."""
    import asyncpg

    from handoff.spool.postgres import parse_url

    dsn, schema, _ = parse_url(url)
    conn = await asyncpg.connect(dsn, timeout=10, server_settings={"search_path": schema} if schema else None)
    try:
        return [tuple(r) for r in await conn.fetch(sql, *args)]
    finally:
        await conn.close()
