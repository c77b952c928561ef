"""The analysis process runs at a lower CPU priority than serve ([spool] analysis_nice): it is batch work
on the cores SMTP intake needs for its latency."""

from __future__ import annotations

import os
from pathlib import Path

from handoff.analyser import ProcessAnalyser
from tests.conftest import settings_for


async def priority_of_child(tmp_path: Path, nice: int) -> int:
    analyser = ProcessAnalyser(settings_for(tmp_path, spool={"analysis_nice": nice}))
    await analyser.start()
    try:
        assert analyser.pid is not None
        return os.getpriority(os.PRIO_PROCESS, analyser.pid)
    finally:
        analyser.close()


async def test_the_analysis_runs_below_serve(tmp_path: Path) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert await priority_of_child(tmp_path, 7) == min(19, own + 7)


async def test_zero_keeps_the_same_priority(tmp_path: Path) -> None:
    assert await priority_of_child(tmp_path, 0) == os.getpriority(os.PRIO_PROCESS, 0)
