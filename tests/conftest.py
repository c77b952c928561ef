"""Shared fixtures: a real SQLite spool file, the shipped Dataverse sandbox over loopback TLS."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from handoff.settings import Settings
from handoff.spool.sqlite import SqliteSpool

FIXTURES = Path(__file__).parent / "fixtures"
QUEUE_ID = "11111111-2222-3333-4444-555555555555"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def spool(tmp_path: Path) -> AsyncIterator[SqliteSpool]:
    s = SqliteSpool(tmp_path / "spool.db")
    await s.open()
    yield s
    await s.close()


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Any]:
    from handoff.sandbox.dataverse import DataverseSandbox

    async with DataverseSandbox(seed=7) as sb:
        sb.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
        yield sb


def settings_for(tmp_path: Path, sandbox: Any = None, **sections: dict[str, Any]) -> Settings:
    """Settings as a deployment would write them, pointed at the sandbox and free loopback ports."""
    data: dict[str, Any] = {
        "smtp": {"host": "127.0.0.1", "port": 0, "recipients": ["cases@handoff.test", "@support.handoff.test"]},
        "http": {"host": "127.0.0.1", "port": 0},
        "spool": {"url": f"sqlite:///{tmp_path}/handoff.db", "retry": {"base_seconds": 0.05, "max_seconds": 0.2}},
        "triage": {"internal_domains": ["acme-support.com", "acme.example", "handoff.test"]},
    }
    if sandbox is not None:
        data["dynamics"] = {
            "url": sandbox.url,
            "authority": sandbox.authority,
            "ca_bundle": sandbox.ca_file,
            "client_secret": sandbox.client_secret,
            "default_queue_id": QUEUE_ID,
            "max_retries": 3,
            "timeout_seconds": 5,
        }
    for section, values in sections.items():
        data[section] = {**data.get(section, {}), **values}
    return Settings(**data)


@pytest.fixture
async def make(tmp_path: Path, sandbox: Any) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """Service parts (spool, msal tokens, aiohttp client, Dynamics, pipeline) for [dynamics] overrides."""
    from handoff.service import Parts, build_parts

    opened: list[Parts] = []

    async def build(**dynamics: Any) -> Parts:
        directory = tmp_path / f"parts{len(opened)}"
        directory.mkdir()
        parts = await build_parts(settings_for(directory, sandbox, dynamics=dynamics))
        opened.append(parts)
        return parts

    yield build
    for parts in opened:
        await parts.close()
