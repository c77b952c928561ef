"""Triage is a pure function of its inputs: it never pulls in network, SMTP or database code."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("aiohttp", "msal", "aiosmtpd", "sqlite3", "psycopg", "asyncpg", "requests", "urllib3")


def test_triage_imports_no_io_libraries() -> None:
    code = (
        "import sys\n"
        "import handoff.triage.classify, handoff.triage.sentiment, handoff.triage.priority\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
