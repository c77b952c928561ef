"""Where the pipeline runs: in its own process, with a time budget per mail.

The pipeline is pure CPU work in Python (regexes, mail-parser, dateparser, the tokenizer). Python's `re`
holds the GIL, so one pathological mail analysed in the service's own process would stop SMTP intake,
`/healthz`, lease renewal and SIGTERM for as long as it runs, and after a restart the same mail would be
claimed and stop it again. So `handoff serve` and `replay` analyse in a child process:

- one mail at a time (analysing several at once on a small machine only made them contend);
- `analysis_timeout_seconds` per mail: a mail that takes longer has its child killed (and a fresh one
  started) and raises `AnalysisTimeout`, which parks the handoff with that reason;
- a child that dies on a mail (a crash, the OOM killer) raises `AnalysisDied`: the worker gives the
  claim back, and `[spool] max_claims` parks a mail that keeps killing it;
- an exception inside the pipeline comes back as `AnalysisFailed` with its type and message.

Children are forked by multiprocessing's forkserver, which imports and warms the pipeline's models once
(`handoff.analysis_child`), so starting or restarting a child costs a fork, not seconds of model loading.
`ThreadAnalyser` runs the same pipeline in a thread of this process, for tests and `replay --dry-run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from handoff.attachments import AttachmentLimits
from handoff.errors import ConfigError
from handoff.pipeline import Analysis, Pipeline
from handoff.settings import Settings

log = logging.getLogger("handoff.analyser")


class AnalysisError(Exception):
    """The pipeline gave no Analysis for this mail."""


class AnalysisFailed(AnalysisError):
    """The pipeline raised: the same mail will fail the same way (park it)."""


class AnalysisTimeout(AnalysisError):
    """The analysis ran out of its time budget and was stopped (park it)."""


class AnalysisDied(AnalysisError):
    """The analysis process died while working on the mail (give the claim back; max_claims decides)."""


class Analyser(Protocol):
    attachment_limits: AttachmentLimits

    async def analyse(self, raw: bytes, mail_from: str | None, rcpt_tos: list[str]) -> Analysis: ...
    def close(self) -> None: ...


class ThreadAnalyser:
    """The pipeline on one thread of this process: no time budget (a thread cannot be stopped)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-pipeline")

    @property
    def attachment_limits(self) -> AttachmentLimits:
        return self.pipeline.attachment_limits

    @attachment_limits.setter
    def attachment_limits(self, value: AttachmentLimits) -> None:
        self.pipeline.attachment_limits = value

    async def analyse(self, raw: bytes, mail_from: str | None, rcpt_tos: list[str]) -> Analysis:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._thread, self.pipeline.analyse, raw, mail_from, rcpt_tos)
        except Exception as exc:
            raise AnalysisFailed(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> Any:
    """A forkserver context whose server has the pipeline's modules and models loaded (Linux); else spawn."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            try:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["handoff.analysis_child"])
            except ValueError:  # no forkserver on this platform
                ctx = multiprocessing.get_context("spawn")
            _CONTEXT = ctx
        return _CONTEXT


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    """Start a child without multiprocessing re-running our __main__ in it.

    The child runs handoff.analysis_child.serve and needs nothing from the parent's main module; a
    script without an `if __name__ == "__main__"` guard (a benchmark, a notebook) would otherwise run
    again inside every analysis process."""
    main = sys.modules.get("__main__")
    saved = {name: getattr(main, name) for name in ("__file__", "__spec__") if hasattr(main, name)}
    with _MAIN_LOCK:
        if "__file__" in saved:
            del main.__file__  # type: ignore[union-attr]
        if "__spec__" in saved:
            main.__spec__ = None  # type: ignore[union-attr]
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(main, name, value)


_MAIN_LOCK = threading.Lock()

# Bytes objects this big (a customer's file) travel beside the answer's pickle, not inside it.
OUT_OF_BAND = 64 * 1024


class _Pickler(pickle.Pickler):
    """Pickles an answer with its big bytes (the mail's files) left out, by number (persistent ids: the
    C pickler writes bytes itself, before any reducer_override could pass them out of band)."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.buffers: list[bytes] = []
        self._numbers: dict[int, int] = {}  # id() -> number: the notes share the attachments' bytes

    def persistent_id(self, obj: Any) -> int | None:
        if type(obj) is not bytes or len(obj) < OUT_OF_BAND:
            return None
        number = self._numbers.get(id(obj))
        if number is None:
            number = self._numbers[id(obj)] = len(self.buffers)
            self.buffers.append(obj)
        return number


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, buffers: list[bytes]) -> None:
        super().__init__(file)
        self.buffers = buffers

    def persistent_load(self, pid: Any) -> bytes:
        return self.buffers[pid]


def send_answer(conn: multiprocessing.connection.Connection, answer: tuple[str, Any]) -> None:
    """(kind, value) to the parent: the count of files, the pickle without them, then each file as it is.

    In one pickle the files were copied into it, and the parent held that pickle and the files made from
    it at once: twice a mail's files in each process. Sent beside it, each file is read into the bytes
    object the Analysis keeps."""
    stream = io.BytesIO()
    pickler = _Pickler(stream)
    pickler.dump(answer)
    conn.send(len(pickler.buffers))
    conn.send_bytes(stream.getbuffer())
    for buffer in pickler.buffers:
        conn.send_bytes(buffer)


def receive_answer(conn: multiprocessing.connection.Connection) -> tuple[str, Any]:
    """The answer `send_answer` sent."""
    count = conn.recv()
    head = conn.recv_bytes()
    buffers = [conn.recv_bytes() for _ in range(count)]
    answer: tuple[str, Any] = _Unpickler(io.BytesIO(head), buffers).load()
    return answer


def _child_main(conn: Any, settings: Any) -> None:
    """The analysis process's entry point. handoff.analysis_child is imported here, in the child (the
    forkserver has it loaded already), never in serve: importing it builds the whole pipeline, embedding
    model included, which cost serve's own process some 160 MB it never uses."""
    from handoff.analysis_child import serve

    serve(conn, settings)


class ProcessAnalyser:
    """The pipeline in a child process with a time budget per mail (see the module docstring)."""

    def __init__(self, settings: Settings, timeout: float | None = None) -> None:
        self.settings = settings
        self.timeout = settings.spool.analysis_timeout_seconds if timeout is None else timeout
        self.attachment_limits = AttachmentLimits.configured(settings.dynamics)
        self._process: Any = None
        self._conn: multiprocessing.connection.Connection | None = None
        self._lock = asyncio.Lock()
        self.restarts = 0
        self.pid: int | None = None
        # A start under way in a thread (start()): the child being started, and whether it was called off.
        self._starting: Any = None
        self._abandoned = False

    async def start(self) -> None:
        """Start the child now (otherwise the first mail does), and wait until its pipeline is built.

        Cancelled (SIGTERM during start-up), it stops the start at once: the thread doing it would
        otherwise block until the models had loaded, and the interpreter waits for that thread at exit."""
        async with self._lock:
            self._abandoned = False  # a start called off before does not call this one off
            try:
                await asyncio.to_thread(self._ensure_child)
            except AnalysisFailed as exc:  # the pipeline refused the settings (a template, the taxonomy)
                raise ConfigError(str(exc)) from None
            except asyncio.CancelledError:
                self._abandon_start()
                raise

    def _abandon_start(self) -> None:
        """Kill what the start thread waits on, so that it returns now instead of after the models load."""
        self._abandoned = True
        process = self._starting
        if process is not None:
            # The child is building its pipeline; killed, its pipe closes and the thread's recv() returns.
            with contextlib.suppress(OSError, ValueError):
                process.kill()
            return
        # No child yet: the thread is inside process.start(), which waits for the forkserver to fork, and
        # the forkserver forks only once it has imported and warmed the pipeline (its preload, seconds with
        # embeddings). Killing it ends that wait (EOFError in the thread); multiprocessing starts a new
        # forkserver for the next child if there is one. multiprocessing has no public way to reach it.
        from multiprocessing import forkserver

        pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
        if pid is not None and _CONTEXT is not None and _CONTEXT.get_start_method() == "forkserver":
            with contextlib.suppress(OSError):
                os.kill(pid, 9)

    def _ensure_child(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._reap()
        if not self.settings.triage.use_embeddings:
            # The forkserver's warm-up (its first start) would load the embedding model for nothing.
            os.environ.setdefault("HANDOFF_ANALYSIS_WARM", "0")
        # ... and at the precision the children will use, or each child would load a second encoder.
        os.environ.setdefault("HANDOFF_ANALYSIS_PRECISION", self.settings.triage.embeddings_precision)
        ctx = _context()
        parent, child = ctx.Pipe(duplex=True)
        process = ctx.Process(target=_child_main, args=(child, self.settings), name="handoff-analysis", daemon=True)
        with _without_main():
            process.start()
        child.close()
        self._starting = process
        try:
            if self._abandoned:  # called off while process.start() ran
                process.kill()
            # The pipeline's start-up: refused settings (a template, the taxonomy) come back as an error.
            try:
                kind, value = parent.recv()
            except EOFError:
                process.join(5)
                kind, value = "error", f"it exited with code {process.exitcode}"
        finally:
            self._starting = None
        if self._abandoned:
            process.kill()
            process.join(5)
            parent.close()
            raise AnalysisFailed("the analysis process's start was called off")
        if kind != "ready":
            process.join(5)
            raise AnalysisFailed(f"the analysis process could not start: {value}")
        self._lower_priority(process.pid)
        self._process, self._conn, self.pid = process, parent, process.pid

    def _lower_priority(self, pid: int) -> None:
        """The analysis is batch work; SMTP intake is latency work on the same cores. With the child at a
        lower CPU priority the door takes the CPU it needs during a burst and the analysis the rest."""
        nice = self.settings.spool.analysis_nice
        if nice <= 0:
            return
        try:
            os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice))
        except OSError as exc:  # a platform or sandbox without it: the analysis just competes as before
            log.info("analysis process %s keeps its CPU priority: %s", pid, exc)

    def _reap(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        self._process = self._conn = None
        self.pid = None

    def _run(self, job: tuple[bytes, str | None, list[str], AttachmentLimits]) -> tuple[str, Any]:
        self._ensure_child()
        assert self._conn is not None and self._process is not None
        raw, *envelope = job
        try:
            # The raw mail goes as it is, after the small rest: pickled with it, it was copied whole
            # (21.5 MB more in this process while it went, and again in the child).
            self._conn.send(tuple(envelope))
            self._conn.send_bytes(raw)
        except (OSError, EOFError):
            return "died", self._exit_status()
        started = time.monotonic()
        # Wait for the answer or the child's death, whichever comes first, within the budget.
        ready = multiprocessing.connection.wait([self._conn, self._process.sentinel], self.timeout)
        if self._conn in ready:
            try:
                return receive_answer(self._conn)
            except (OSError, EOFError):
                return "died", self._exit_status()
        if self._process.sentinel in ready:
            return "died", self._exit_status()
        log.warning(
            "analysis process %s stopped after %.1f s on one mail (budget %g s)",
            self.pid,
            time.monotonic() - started,
            self.timeout,
        )
        self._reap()
        self.restarts += 1
        return "timeout", self.timeout

    def _exit_status(self) -> str:
        process = self._process
        if process is not None:
            process.join(5)
            code = process.exitcode
        else:
            code = None
        self._reap()
        self.restarts += 1
        if code is not None and code < 0:
            return f"killed by signal {-code}"
        return f"exit code {code}"

    async def analyse(self, raw: bytes, mail_from: str | None, rcpt_tos: list[str]) -> Analysis:
        async with self._lock:
            kind, value = await asyncio.to_thread(self._run, (raw, mail_from, list(rcpt_tos), self.attachment_limits))
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "timeout":
            raise AnalysisTimeout(f"analysis took longer than {value:g} s ([spool] analysis_timeout_seconds)")
        if kind == "died":
            raise AnalysisDied(f"the analysis process died on this mail ({value})")
        raise AnalysisFailed(str(value))

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(None)
        if self._process is not None:
            self._process.join(2)
        self._reap()
