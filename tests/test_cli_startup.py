"""`handoff serve` refusing to start says so in one line naming the setting, exit 2, no traceback; a
SIGTERM during start-up stops it promptly. Real processes, real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port


def config(tmp_path: Path, smtp_port: int = 0, http_port: int = 0, spool: str | None = None) -> Path:
    file = tmp_path / "handoff.toml"
    file.write_text(
        f'[smtp]\nport = {smtp_port}\n[http]\nport = {http_port}\n[spool]\nurl = "{spool or f"sqlite:///{tmp_path}/h.db"}"\n'
        "[triage]\nuse_embeddings = false\n"
    )
    return file


def serve(file: Path, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    return subprocess.run(
        [sys.executable, "-m", "handoff.cli", "serve", "--config", str(file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=file.parent,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("handoff: ")]


@pytest.fixture
def busy_port() -> object:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize("section", ["smtp", "http"])
def test_a_busy_port_is_one_line_naming_the_setting(tmp_path: Path, busy_port: int, section: str) -> None:
    ports = {"smtp_port": busy_port} if section == "smtp" else {"http_port": busy_port}
    done = serve(config(tmp_path, **ports))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert error_lines(done.stderr) == [
        f"handoff: [{section}] port {busy_port} is in use (Address already in use); "
        f"stop what listens there or set [{section}] port"
    ]


def test_an_unwritable_spool_path_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("in the way of a directory")
    done = serve(config(tmp_path, spool=f"sqlite:///{tmp_path}/a-file/handoff.db"))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = error_lines(done.stderr)
    assert line.startswith(f"handoff: [spool] url: cannot open {tmp_path}/a-file/handoff.db")
    assert line.endswith("(give a writable path or a reachable database in [spool] url)")


def sigterm_once_under_way(tmp_path: Path, env: dict[str, str], guard: float) -> tuple[int, str]:
    """Start serve, send SIGTERM once start-up is under way (it has said anything: the sandbox's line comes
    before the listeners), and return its exit code and all it said; `guard` only bounds a hang."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "handoff.cli", "serve", "--config", str(config(tmp_path, smtp_port=free_port()))],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first, "serve said nothing"
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=guard)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, first + rest


def test_sigterm_during_start_up_stops_promptly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    # How promptly it stopped is read from what it said, not from the clock (a loaded machine stretches every
    # step of a start-up; the order of the steps stays the same).
    returncode, stderr = sigterm_once_under_way(tmp_path, env, guard=120)
    lines = stderr.splitlines()
    assert "Traceback" not in stderr
    assert returncode == 2, stderr
    # Stopped where it was: the start-up went no further than the step the signal found under way. The
    # analysis process loading its models is the long step (seconds); past it come the listeners, the
    # MoEngage mirror's line and "ready", so none of those may appear, and the signal's line is the last.
    assert lines[-1] == "handoff: stopped by a signal during start-up; nothing was started", stderr
    assert not any("handoff ready" in line or "[moengage]" in line for line in lines), stderr
    assert not any("returned" in line and "to the queue" in line for line in lines), stderr


def test_sigterm_stops_a_start_up_stuck_in_the_analysis_process(tmp_path: Path) -> None:
    # The analysis processes are forked by a forkserver that first imports and warms the pipeline (seconds
    # with embeddings; for ever on a stalled disk). Until it has, the start-up thread waits inside
    # multiprocessing, and the interpreter waits for that thread at exit: a SIGTERM then stopped serve only
    # once the models had loaded. Here the forkserver's interpreter never gets that far (a sitecustomize
    # that stalls only in it), so serve exits only if the signal ends the wait itself.
    hook = tmp_path / "hook"
    hook.mkdir()
    stall = (
        "import sys, time\nif any('multiprocessing.forkserver' in a for a in sys.orig_argv):\n    time.sleep(3600)\n"
    )
    (hook / "sitecustomize.py").write_text(stall)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    env["PYTHONPATH"] = os.pathsep.join([str(hook), str(Path(__file__).resolve().parents[1])])
    returncode, stderr = sigterm_once_under_way(tmp_path, env, guard=60)  # a guard against the hang tested
    assert "Traceback" not in stderr
    assert returncode == 2, stderr
    assert stderr.splitlines()[-1] == "handoff: stopped by a signal during start-up; nothing was started", stderr


async def test_start_up_says_the_moengage_mirror_is_off_when_the_file_leaves_it_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from handoff.service import Service
    from handoff.settings import load_settings

    # No [moengage] section; the embedded Dataverse sandbox keeps its records beside the spool.
    file = config(tmp_path)
    service = Service(load_settings(file))
    with caplog.at_level(logging.INFO, logger="handoff"):
        await service.start()
        await service.stop()
    said = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("[moengage] enabled is false: cases are not mirrored to MoEngage") for m in said), said
