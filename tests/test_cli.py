"""The operator's commands: status filters, retry --all-parked, --version, help and -v anywhere."""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import time
from pathlib import Path

import pytest

from handoff.cli import build_parser, main
from handoff.spool.base import Peer
from handoff.spool.sqlite import SqliteSpool


def mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <c{n}@example.com>\r\nTo: cases@handoff.test\r\nSubject: Order {n} late\r\n"
        f"Message-ID: <cli-{n}@example.com>\r\n\r\nWhere is order {n}?\r\n"
    ).encode()


async def filled_spool(tmp_path: Path) -> tuple[Path, list[int]]:
    """Three parked handoffs; the first received three days ago."""
    db = tmp_path / "handoff.db"
    spool = SqliteSpool(db)
    await spool.open()
    ids = []
    try:
        for n in range(3):
            item_id = await spool.enqueue(mail(n), f"c{n}@example.com", ["cases@handoff.test"])
            summary = {"message_id": f"<cli-{n}@example.com>", "subject": f"Order {n} late"}
            summary["customer"] = {"email": f"c{n}@example.com", "name": f"Customer {n}", "found_by": "from"}
            await spool.park(item_id, "Dataverse 400: bad value", summary)
            ids.append(item_id)
    finally:
        await spool.close()
    with sqlite3.connect(db) as conn:  # as if it had arrived three days ago
        conn.execute("UPDATE handoffs SET received_at = ? WHERE id = ?", (time.time() - 3 * 86400, ids[0]))
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{db}"\n')
    return config, ids


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()

    def call() -> int:
        try:
            return main(list(argv))
        except SystemExit as exc:  # argparse refusing an argument
            return int(exc.code or 0)

    code = await asyncio.to_thread(call)
    out = capsys.readouterr()
    return code, out.out, out.err


async def test_status_filters_by_since_and_search_with_received_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, ids = await filled_spool(tmp_path)
    code, out, _ = await run(capsys, "status", "--config", str(config), "--json", "--since", "1d")
    assert code == 0
    data = json.loads(out)
    assert [r["id"] for r in data["latest"]] == [ids[2], ids[1]]
    assert data["matching"] == 2
    assert all(r["received"].endswith("Z") and r["received_at"] for r in data["latest"])
    assert data["latest"][0]["subject"] == "Order 2 late"
    code, out, _ = await run(capsys, "status", "--config", str(config), "--json", "--search", "CUSTOMER 0")
    assert [r["id"] for r in json.loads(out)["latest"]] == [ids[0]]
    day = time.strftime("%Y-%m-%d", time.localtime(time.time() - 4 * 86400))
    code, out, _ = await run(capsys, "status", "--config", str(config), "--since", day, "--state", "parked")
    assert code == 0 and "matching: 3" in out
    code, _, err = await run(capsys, "status", "--config", str(config), "--since", "last tuesday")
    assert code == 2 and "expected an age like 2h" in err


async def test_status_lists_who_handed_each_mail_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "handoff.db"
    spool = SqliteSpool(db)
    await spool.open()
    try:
        relay = Peer(ip="192.0.2.10", helo="relay.acme.example", tls="TLSv1.3", auth="triage-bot")
        by_relay = await spool.enqueue(mail(0), "c0@example.com", ["cases@handoff.test"], relay)
        long_v6 = Peer(ip="2001:db8:25:0:1234:5678:9abc:def0", tls="TLSv1.2", auth="a-rather-long-script-name")
        plain = await spool.enqueue(mail(1), "c1@example.com", ["cases@handoff.test"], Peer(ip="2001:db8::25"))
        v6 = await spool.enqueue(mail(3), "c3@example.com", ["cases@handoff.test"], long_v6)
        replayed = await spool.enqueue(mail(2), "c2@example.com", ["cases@handoff.test"])  # no SMTP session
    finally:
        await spool.close()
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{db}"\n')

    code, out, _ = await run(capsys, "status", "--config", str(config))
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("id "))
    assert " from " in header
    rows = {int(line.split()[0]): line for line in lines if line.split() and line.split()[0].isdigit()}
    assert "192.0.2.10 TLS triage-bot" in rows[by_relay]
    assert "relay.acme.example" not in rows[by_relay]  # the HELO is for `show` and --json
    assert "2001:db8::25 " in rows[plain] and "TLS" not in rows[plain]
    assert "2001:db8:25:0:1234:5678:9abc:def0 TLS a…" in rows[v6]  # the address in full, the user cut
    column = header.index(" from ") + 1
    assert rows[replayed][column:].startswith("- ")  # handoff's SMTP session did not see it

    code, out, _ = await run(capsys, "status", "--config", str(config), "--json")
    peers = {r["id"]: r["peer"] for r in json.loads(out)["latest"]}
    assert peers[by_relay] == {"ip": "192.0.2.10", "helo": "relay.acme.example", "tls": "TLSv1.3", "auth": "triage-bot"}
    assert peers[plain] == {"ip": "2001:db8::25", "helo": None, "tls": None, "auth": None}
    assert peers[replayed] is None


async def test_retry_all_parked_says_how_many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, ids = await filled_spool(tmp_path)
    code, out, _ = await run(capsys, "retry", "--all-parked", "--since", "2d", "--config", str(config))
    assert code == 0 and out.startswith("2 parked handoff(s) received since ")
    code, out, _ = await run(capsys, "retry", "--all-parked", "--config", str(config))
    assert code == 0 and out.startswith("1 parked handoff(s) queued again")
    code, out, _ = await run(capsys, "status", "--config", str(config), "--json")
    assert json.loads(out)["counts"]["queued"] == 3
    code, _, err = await run(capsys, "retry", "--all-parked", str(ids[0]), "--config", str(config))
    assert code == 2 and "not both" in err


def test_version_and_verbose_after_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("handoff ")
    parser = build_parser()
    assert parser.parse_args(["status", "-v"]).verbose is True
    assert parser.parse_args(["-v", "status"]).verbose is True
    assert parser.parse_args(["status"]).verbose is False
    assert parser.parse_args(["sandbox", "resolve", "CAS-1", "-v"]).verbose is True


def _parsers(parser: argparse.ArgumentParser, name: str = "handoff") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += _parsers(sub, f"{name} {sub_name}")
    return found


def test_every_argument_has_help_text() -> None:
    missing = [
        f"{name}: {action.dest}"
        for name, parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert missing == []


async def test_replay_twice_adds_no_rows_and_says_what_happened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = Path(__file__).parent.parent / "samples"
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{tmp_path}/handoff.db"\n[triage]\nuse_embeddings = false\n')
    code, out, err = await run(capsys, "replay", str(samples), "--config", str(config))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == (
        "replay: 4 mail(s): 3 created, 0 already existed, 0 already in the spool, 1 skipped, 0 parked, 0 queued"
    )
    assert "replay: 3 of 3 processed" in err or "replay: 4 of 4 processed" in err  # plain progress, no terminal
    code, out, err = await run(capsys, "replay", str(samples), "--config", str(config))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1].startswith("replay: 4 mail(s): 0 created, 0 already existed, 4 already in the spool,")
    assert all(": already in the spool #" in line for line in lines[:-1])
    with sqlite3.connect(tmp_path / "handoff.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM handoffs").fetchone()[0] == 4
    # A new spool against the same Dataverse (its sandbox records sit beside the spool file): Dataverse
    # already has each case (412 on the deterministic incident id), and replay says so.
    config.write_text(f'[spool]\nurl = "sqlite:///{tmp_path}/other.db"\n[triage]\nuse_embeddings = false\n')
    code, out, err = await run(capsys, "replay", str(samples), "--config", str(config))
    assert code == 0, err
    assert out.splitlines()[-1].startswith("replay: 4 mail(s): 0 created, 3 already existed, 0 already in the spool")
    assert sum(": already existed CAS-" in line for line in out.splitlines()) == 3


def test_json_log_lines_carry_spool_id_and_message_id_and_level_filters(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    samples = Path(__file__).parent.parent / "samples"
    config = tmp_path / "handoff.toml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}

    def replay(level: str) -> list[str]:  # a real `handoff replay` process
        config.write_text(
            f'[spool]\nurl = "sqlite:///{tmp_path}/{level}.db"\n[triage]\nuse_embeddings = false\n'
            f'[log]\nformat = "json"\nlevel = "{level}"\n'
        )
        done = subprocess.run(
            [sys.executable, "-m", "handoff.cli", "replay", str(samples), "--config", str(config)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        # stderr holds the log and replay's own progress lines ("replay: 4 of 4 processed").
        return [line for line in done.stderr.splitlines() if not line.startswith("replay: ")]

    records = [json.loads(line) for line in replay("info")]
    outcomes = [r for r in records if r["logger"] == "handoff.worker"]
    assert {(r["spool"], r["msgid"]) for r in outcomes} >= {(1, "<CAF-sample-0001@mail.acme.example>")}
    assert any(
        r["message"].startswith("spool=4 msgid=<sample-0004@example.com> skipped by auto-reply") for r in outcomes
    )
    assert all(r["time"].endswith("Z") and r["level"] for r in records)
    # [log] level sets the root logger; aiosmtpd and flufl.bounce stay at least as quiet.
    import logging

    from handoff.cli import configure_logging
    from handoff.settings import LogSettings

    root = logging.getLogger()
    saved = root.level, logging.getLogger("flufl.bounce").level, logging.getLogger("mail.log").level
    try:
        configure_logging(False, LogSettings(level="ERROR"))
        assert root.level == logging.ERROR and logging.getLogger("flufl.bounce").level == logging.ERROR
    finally:
        root.setLevel(saved[0])
        logging.getLogger("flufl.bounce").setLevel(saved[1])
        logging.getLogger("mail.log").setLevel(saved[2])


def test_replay_progress_is_a_bar_on_a_terminal_and_plain_lines_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging
    import sys

    from handoff.cli import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expected in ((Terminal(), "/3 ["), (io.StringIO(), "replay: 3 of 3 processed\n")):
        monkeypatch.setattr(sys, "stderr", stream)
        with Progress(3) as progress:
            for _ in range(3):
                progress.step()
                logging.getLogger("handoff.worker").info("spool=1 created")  # never raises mid-bar
        assert expected in stream.getvalue()
        assert ("\r" in stream.getvalue()) == isinstance(stream, Terminal)
