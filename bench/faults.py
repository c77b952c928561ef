"""The fault scenarios of tests/test_faults.py at full size; one line per scenario.

    .venv/bin/python bench/faults.py                  # all scenarios (disk full needs root for a tmpfs)
    .venv/bin/python bench/faults.py outage sigkill   # some of them

Each line: accepted (250s), created, skipped, parked, duplicates, lost, wall time, and what the scenario
measured besides. Loopback only: the Dataverse sandbox in this process, `handoff serve` in this process
(or, for sigkill, as a subprocess killed three times).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handoff.sandbox.dataverse import DataverseSandbox
from tests import faults

QUEUE_ID = "11111111-2222-3333-4444-555555555555"


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path | None]:
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)]).returncode != 0:
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


async def disk_full(tmp: Path, sandbox: Any) -> faults.Outcome:
    with tmpfs(tmp / "spool", "2m") as mount:
        if mount is None:
            return faults.Outcome("disk full", extra={"skipped": "cannot mount a tmpfs (not root?)"})
        return await faults.disk_full(tmp, sandbox, mount, mails=1000)


SCENARIOS: dict[str, Callable[[Path, Any], Awaitable[faults.Outcome]]] = {
    "outage": lambda tmp, sb: faults.outage(tmp, sb, mails=500, refuse_s=10, unavailable_s=20),
    "drops": lambda tmp, sb: faults.dropped_answers(tmp, sb, mails=300, fraction=0.3),
    "429": lambda tmp, sb: faults.throttled(tmp, sb, mails=500),
    "token": lambda tmp, sb: faults.token_down(tmp, sb, mails=300, seconds=15),
    "poison": lambda tmp, sb: faults.poison(tmp, sb, mails=300, poisoned=5),
    "disk": disk_full,
    "sigkill": lambda tmp, sb: faults.sigkill(tmp, sb, mails=2000, kills=3),
}


async def run(names: list[str]) -> None:
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"faults-{name}-") as directory:
            async with DataverseSandbox(seed=7) as sandbox:
                sandbox.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
                out = await SCENARIOS[name](Path(directory), sandbox)
        print(out.line(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenarios", nargs="*", help=f"some of: {', '.join(SCENARIOS)} (default: all)")
    args = parser.parse_args()
    unknown = sorted(set(args.scenarios) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; known: {list(SCENARIOS)}")
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(run(args.scenarios or list(SCENARIOS)))


if __name__ == "__main__":  # required: the analysis runs in forkserver children
    main()
