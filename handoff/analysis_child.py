"""The analysis process (handoff.analyser): builds the pipeline, then analyses one mail per request.

Imported by multiprocessing's forkserver before it forks any child, so what is loaded here (the
modules, the sentence-embedding model, the language model, the default taxonomy's vectors) is loaded
once and shared by every child it forks.
"""

from __future__ import annotations

import logging
import os
from typing import Any

# Each child is a fork of the forkserver: the tokenizer's own thread pool must not be started before.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# One analysis at a time on one core: BLAS threads of numpy's small matrix products only spin against
# the event loop's process for the other core (measured: 5x slower embeddings under load with them).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from handoff.analyser import send_answer  # noqa: E402
from handoff.pipeline import Pipeline  # noqa: E402  (after the environment it reads)
from handoff.settings import Settings  # noqa: E402
from handoff.smtp_limits import malloc_trim, mmap_big_blocks  # noqa: E402

log = logging.getLogger("handoff.analyser")

# A mail this big gives its freed memory back to the system after its analysis.
TRIM_AFTER = 1 << 20


def _warm_up() -> None:
    try:
        settings = Settings.model_construct()
        # The encoder is shared per precision: the children's (handoff.analyser), not necessarily the default.
        precision = os.environ.get("HANDOFF_ANALYSIS_PRECISION", settings.triage.embeddings_precision)
        settings.triage.embeddings_precision = precision  # type: ignore[assignment]
        Pipeline(settings)
    except Exception:  # only a head start; a child builds its own pipeline and reports its own errors
        log.debug("analysis warm-up failed", exc_info=True)


# In the forkserver, before it forks any child: a big mail's copies (its text, each part's base64, the
# files) in mappings of their own, which go back to the system when the analysis is done with them.
mmap_big_blocks()
if os.environ.get("HANDOFF_ANALYSIS_WARM", "1") != "0":
    _warm_up()


def serve(conn: Any, settings: Settings) -> None:
    """The child's main loop: ('ready', None) once built, then one answer per job until None or EOF."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        pipeline = Pipeline(settings)
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        mail_from, rcpt_tos, limits = job
        try:
            raw = conn.recv_bytes()  # the mail itself comes after (handoff.analyser.ProcessAnalyser._run)
        except (EOFError, OSError):
            return
        pipeline.attachment_limits = limits
        try:
            answer: tuple[str, Any] = ("ok", pipeline.analyse(raw, mail_from, rcpt_tos))
        except Exception as exc:  # the mail's fault or ours: the worker parks it with this reason
            answer = ("error", f"{type(exc).__name__}: {exc}")
        size = len(raw)
        del raw
        try:
            send_answer(conn, answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an Analysis that does not pickle is our bug; say so instead of dying
            send_answer(conn, ("error", f"the analysis could not be passed back: {type(exc).__name__}: {exc}"))
        del answer
        if size >= TRIM_AFTER:
            # Parsing a big mail made copies of it (its text, each part's base64 and the decoded files):
            # freed now, but glibc keeps freed heap for reuse; the child would stay at its peak for good.
            malloc_trim()
