"""bench/pipeline_speed.py --breakdown: each thread's analyse split into the encoder's forwards and the rest."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from handoff.triage import embeddings

ROOT = Path(__file__).resolve().parents[1]


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("pipeline_speed", ROOT / "bench" / "pipeline_speed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pipeline_speed", module)
    spec.loader.exec_module(module)
    return module


def _has_onnxruntime() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(
    not (embeddings.available() and _has_onnxruntime()), reason="embeddings extra with onnxruntime not installed"
)
def test_the_breakdown_splits_analyse_into_the_encoders_forwards_and_the_rest() -> None:
    bench = _bench()
    mails = bench.threads(6)
    _, samples = bench.measure(mails, True, 1, time.process_time, breakdown=True)
    names = ("fast forwards", "float32 forwards", "analyse less forwards", "fast pieces", "float32 pieces")
    names += ("fast texts", "float32 texts", "fast repeats", "float32 repeats")
    for name in names:
        assert len(samples[name]) == len(samples["analyse"]), name
    for total, fast, exact, rest in zip(
        samples["analyse"],
        samples["fast forwards"],
        samples["float32 forwards"],
        samples["analyse less forwards"],
        strict=True,
    ):
        assert rest == pytest.approx(total - fast - exact)
        assert fast + exact <= total
    # Some thread had customer text: the encoder ran on word pieces, and its time was counted.
    assert max(samples["fast pieces"]) + max(samples["float32 pieces"]) > 0
    assert max(samples["fast forwards"]) + max(samples["float32 forwards"]) > 0
    lines = bench.report("with embeddings", samples, len(mails))
    assert any(line.strip().startswith("analyse less forwards") for line in lines)


def test_without_the_breakdown_no_forward_figures_are_reported() -> None:
    bench = _bench()
    _, samples = bench.measure(bench.threads(3), False, 1, time.process_time, breakdown=True)
    assert "analyse" in samples
    assert "fast forwards" not in samples


@pytest.mark.skipif(
    not (embeddings.available() and _has_onnxruntime()), reason="embeddings extra with onnxruntime not installed"
)
def test_the_breakdown_counts_texts_a_thread_embeds_again() -> None:
    """A text whose word pieces the same pass embedded for this thread already is a repeat; a new thread starts over."""
    bench = _bench()
    encoder = embeddings.MiniLMEncoder(embeddings.model_dir(), precision="float32")  # type: ignore[arg-type]
    forwards = bench._ForwardClock(encoder, time.process_time)
    encoder.encode(["Where is my refund?", "The parcel never came.", "Where is my refund?"])
    encoder.clear_cache()
    encoder.encode(["The parcel never came."])
    spent = forwards.spent()
    assert (spent["float32 texts"], spent["float32 repeats"], spent["fast texts"]) == (4, 2, 0)
    forwards.reset()
    encoder.clear_cache()
    encoder.encode(["The parcel never came."])
    assert (forwards.spent()["float32 texts"], forwards.spent()["float32 repeats"]) == (1, 0)
    forwards.stop()
    assert encoder._forward == forwards.original
