"""[smtp] event_loop: `handoff serve` runs on asyncio's loop or on uvloop; a missing uvloop is a wrong setting."""

from __future__ import annotations

import asyncio
import sys

import pytest

from handoff.errors import ConfigError
from handoff.service import run_loop
from handoff.settings import Settings


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_serve_runs_on_the_loop_the_setting_names() -> None:
    assert run_loop(_loop_module, Settings().smtp.event_loop).startswith("asyncio")
    uvloop = Settings(smtp={"event_loop": "uvloop"}).smtp.event_loop
    assert run_loop(_loop_module, uvloop).startswith("uvloop")


def test_an_unknown_loop_is_refused_naming_the_key() -> None:
    with pytest.raises(ValueError, match="event_loop"):
        Settings(smtp={"event_loop": "tokio"})


def test_uvloop_not_installed_names_the_key_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # what `import uvloop` sees where it is not installed
    with pytest.raises(ConfigError, match=r'\[smtp\] event_loop = "uvloop".*pip install uvloop.*"asyncio"'):
        run_loop(_loop_module, "uvloop")
