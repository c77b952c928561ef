"""The encoder's onnxruntime path gives the numpy reference's vectors, and numpy takes over without it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from handoff.triage import embeddings

ROOT = Path(__file__).resolve().parents[1]


def _has_onnxruntime() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


needs_runtime = pytest.mark.skipif(
    not (embeddings.available() and _has_onnxruntime()), reason="embeddings extra with onnxruntime not installed"
)


def eval_texts() -> list[str]:
    """Real customer texts of every length and language: the labelled evaluation data, both splits."""
    texts: list[str] = []
    for line in (ROOT / "bench" / "data" / "support_emails.jsonl").read_text(encoding="utf-8").splitlines():
        for message in json.loads(line)["messages"]:
            texts.append(f"{message.get('subject', '')}.\n{message['body']}")
    for line in (ROOT / "bench" / "data" / "short_messages.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    # A text longer than MAX_TOKENS: truncation and the last position embeddings are exercised too.
    texts.append(" ".join(texts[:12]))
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def reference() -> Any:
    path = embeddings.model_dir()
    assert path is not None
    return embeddings.MiniLMEncoder(path, runtime="numpy")


@needs_runtime
def test_onnxruntime_vectors_match_the_numpy_reference(reference: Any) -> None:
    import numpy as np

    path = embeddings.model_dir()
    assert path is not None
    fast = embeddings.MiniLMEncoder(path, runtime="onnxruntime")
    assert (fast.runtime, reference.runtime) == ("onnxruntime", "numpy")
    texts = eval_texts()
    assert len(texts) > 300
    assert max(len(fast.tokenizer.encode(t).ids) for t in texts) == embeddings.MAX_TOKENS
    # Batched (padded to the longest of each batch) and one by one: padding must change nothing either.
    batched = fast.encode(texts)
    single = np.stack([fast._forward([fast.tokenizer.encode(t).ids])[0] for t in texts[:40]])
    expected = reference.encode(texts)
    assert batched.dtype == np.float32 and batched.shape == (len(texts), embeddings.MiniLMEncoder.dimension)
    # float32 sums in another order: ~4e-7 apart measured; 1e-5 still tells a wrong op at once (a missing
    # bias or GELU moves vectors by more than 1e-2).
    assert np.abs(batched - expected).max() < 1e-5
    assert np.abs(single - expected[:40]).max() < 1e-5
    assert float((batched * expected).sum(axis=1).min()) > 0.99999


@needs_runtime
def test_the_float32_graph_runs_fused_attention_and_gives_the_plain_graphs_vectors(
    reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    import onnx

    path = embeddings.model_dir()
    assert path is not None
    w, heads, layers, eps = reference.w, reference.heads, reference.layers, reference.eps
    fused = onnx.load_from_string(embeddings._onnx_model(dict(w), heads, layers, eps))
    kinds = [node.op_type for node in fused.graph.node]
    # One fused kernel per layer; no softmax of our own left beside it.
    assert kinds.count("Attention") == layers and "Softmax" not in kinds
    # int8 and the calibration probe keep the plain ops (their QKV matmul is quantised or probed).
    assert "Attention" not in [
        n.op_type
        for n in onnx.load_from_string(embeddings._onnx_model(dict(w), heads, layers, eps, probe=True)).graph.node
    ]
    texts = eval_texts()[:120]
    fast = embeddings.MiniLMEncoder(path, runtime="onnxruntime")
    monkeypatch.setattr(embeddings, "FUSED_ATTENTION", False)
    plain = embeddings.MiniLMEncoder(path, runtime="onnxruntime")
    # Packed several to a row (the block-diagonal bias) and alone: the same vectors as the plain graph's.
    assert np.abs(fast.encode(texts) - plain.encode(texts)).max() < 1e-6
    ids = [fast.tokenizer.encode(t).ids for t in texts[:10]]
    assert np.abs(fast._forward(ids) - reference._forward_numpy(ids)).max() < 1e-5


@needs_runtime
def test_an_onnxruntime_without_the_fused_attention_gets_the_plain_graph(
    reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    import onnxruntime

    real = onnxruntime.InferenceSession

    class OldSession(real):  # type: ignore[misc, valid-type]
        """As an onnxruntime whose Attention refuses the broadcast (1, 1, T, T) bias would fail."""

        def run(self, *args: Any, **kwargs: Any) -> Any:
            if any(node.op_type == "Attention" for node in self._model.graph.node):
                raise RuntimeError("attention_bias: dimension 1 must be num_heads")
            return super().run(*args, **kwargs)

        def __init__(self, model: bytes, *args: Any, **kwargs: Any) -> None:
            import onnx

            self._model = onnx.load_from_string(model)
            super().__init__(model, *args, **kwargs)

    monkeypatch.setattr(onnxruntime, "InferenceSession", OldSession)
    path = embeddings.model_dir()
    assert path is not None
    encoder = embeddings.MiniLMEncoder(path, runtime="onnxruntime")
    assert "Attention" not in [node.op_type for node in encoder._session._model.graph.node]
    text = ["My parcel never arrived and nobody answers the phone."]
    assert np.abs(encoder.encode(text) - reference.encode(text)).max() < 1e-5


@needs_runtime
def test_the_shared_encoder_runs_on_onnxruntime_and_keeps_the_published_similarities() -> None:
    encoder = embeddings.load_encoder()
    assert encoder is not None and encoder.runtime == "onnxruntime"
    # exact=True: float32's vectors, the model's own, also where "auto" runs int8 (within 2e-2 of them, see the int8
    # test below); a plain encode is float32's wherever the encoder runs float32.
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."], exact=True
    )
    similarity = vectors @ vectors.T
    # sentence-transformers' quickstart figures for all-MiniLM-L6-v2.
    assert similarity[0, 1] == pytest.approx(0.6660, abs=2e-3)
    assert similarity[0, 2] == pytest.approx(0.1046, abs=2e-3)


FALLBACK = """
import sys
sys.modules["onnxruntime"] = None  # as if not installed: importing it raises ImportError
import json
import numpy as np
from handoff.triage import embeddings
from handoff.triage.classify import Classifier
from handoff.settings import TriageSettings
encoder = embeddings.load_encoder()
vector = encoder.encode(["I was charged twice for my March invoice, please refund one."])[0]
print(json.dumps({"runtime": encoder.runtime, "mode": Classifier(TriageSettings()).mode, "vector": vector.tolist()}))
"""


@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
def test_without_onnxruntime_the_numpy_forward_takes_over(reference: Any) -> None:
    import numpy as np

    done = subprocess.run(
        [sys.executable, "-c", FALLBACK], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["runtime"] == "numpy"
    assert result["mode"] == "keywords+embeddings"
    expected = reference.encode(["I was charged twice for my March invoice, please refund one."])[0]
    assert np.abs(np.asarray(result["vector"], dtype=np.float32) - expected).max() < 1e-6


@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
def test_asking_for_onnxruntime_without_it_is_an_error_not_a_silent_fallback() -> None:
    code = (
        "import sys; sys.modules['onnxruntime'] = None\n"
        "from handoff.triage import embeddings\n"
        "try:\n    embeddings.MiniLMEncoder(embeddings.model_dir(), runtime='onnxruntime')\n"
        "except ImportError as error:\n    print('ImportError', error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "ImportError onnxruntime and onnx are not installed" in done.stdout


int8_runs = pytest.mark.skipif(
    not (embeddings.available() and _has_onnxruntime()) or embeddings.int8_supported() is not None,
    reason="embeddings extra with onnxruntime not installed, or this CPU has no exact int8 kernels",
)


@int8_runs
def test_int8_vectors_stay_within_cosine_0_99_of_the_float32_reference(reference: Any) -> None:
    import numpy as np

    path = embeddings.model_dir()
    assert path is not None
    fast = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision="int8")
    assert (fast.runtime, fast.precision) == ("onnxruntime", "int8")
    texts = eval_texts()
    vectors = fast.encode(texts)
    expected = reference.encode(texts)
    cosine = (vectors * expected).sum(axis=1)
    assert vectors.dtype == np.float32 and vectors.shape == expected.shape
    # Measured: min 0.9949, median 0.99927. A wrong scale or a lost smoothing factor falls far below.
    assert float(cosine.min()) > 0.99
    assert float(np.median(cosine)) > 0.999
    # Packed with other texts or alone: the same vector but for rounding at the quantisation steps (4e-3 measured).
    alone = np.stack([fast._forward([fast.tokenizer.encode(t).ids])[0] for t in texts[:20]])
    assert np.abs(alone - vectors[:20]).max() < 2e-2
    assert float((alone * vectors[:20]).sum(axis=1).min()) > 0.9995
    similarity = fast.encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    similarity = similarity @ similarity.T
    assert similarity[0, 1] == pytest.approx(0.6660, abs=2e-2)
    assert similarity[0, 2] == pytest.approx(0.1046, abs=2e-2)


@needs_runtime
def test_int8_without_its_calibration_or_on_a_cpu_without_exact_kernels_runs_float32_and_says_why(
    reference: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    import logging

    import numpy as np

    path = embeddings.model_dir()
    assert path is not None
    text = ["I was charged twice for my March invoice, please refund one."]
    expected = reference.encode(text)
    monkeypatch.setattr(embeddings, "RANGES_FILE", tmp_path / "minilm_int8_ranges.json")
    monkeypatch.setattr(embeddings, "int8_supported", lambda: None)
    with caplog.at_level(logging.WARNING, logger="handoff.triage"):
        encoder = embeddings.MiniLMEncoder(path, precision="int8")
    assert (encoder.runtime, encoder.precision) == ("onnxruntime", "float32")
    assert "minilm_int8_ranges.json is missing or unreadable (scripts/calibrate_int8.py writes it)" in caplog.text
    assert "[triage] embeddings_precision" in caplog.text
    assert np.abs(encoder.encode(text) - expected).max() < 1e-5

    caplog.clear()
    monkeypatch.setattr(embeddings, "RANGES_FILE", ROOT / "handoff" / "triage" / "minilm_int8_ranges.json")
    monkeypatch.setattr(embeddings, "int8_supported", lambda: "no int8 kernels checked for riscv64")
    with caplog.at_level(logging.WARNING, logger="handoff.triage"):
        encoder = embeddings.MiniLMEncoder(path, precision="int8")
    assert encoder.precision == "float32"
    assert "int8 not used, no int8 kernels checked for riscv64" in caplog.text
    assert np.abs(encoder.encode(text) - expected).max() < 1e-5


def test_an_unknown_precision_is_refused_naming_the_setting(tmp_path: Path) -> None:
    from handoff.errors import ConfigError
    from handoff.settings import load_settings

    bad = tmp_path / "handoff.toml"
    bad.write_text('[triage]\nembeddings_precision = "int4"\n')
    with pytest.raises(
        ConfigError, match=r"\[triage\] embeddings_precision: Input should be 'auto', 'float32' or 'int8'"
    ):
        load_settings(bad)
    if embeddings.available():
        with pytest.raises(ValueError, match="precision 'int4': expected one of float32, int8"):
            embeddings.MiniLMEncoder(embeddings.model_dir(), precision="int4")  # type: ignore[arg-type]


@int8_runs
def test_the_precision_setting_reaches_the_classifier_and_the_sentiment_head() -> None:
    from handoff.settings import TriageSettings
    from handoff.triage.classify import Classifier
    from handoff.triage.sentiment import SentimentScorer

    settings = TriageSettings(embeddings_precision="int8")
    classifier, scorer = Classifier(settings), SentimentScorer(settings)
    assert classifier.encoder is not None and classifier.encoder.precision == "int8"
    assert scorer.encoder is classifier.encoder  # one int8 encoder per process, shared
    assert Classifier(TriageSettings(embeddings_precision="float32")).encoder is embeddings.load_encoder("float32")
    assert embeddings.load_encoder("float32").precision == "float32"
    # The default, "auto", is int8 on a CPU where int8 runs exactly, as this one does.
    assert Classifier(TriageSettings()).encoder is classifier.encoder


def test_auto_precision_is_int8_only_where_it_runs_exactly_and_quietly_float32_elsewhere(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    import logging

    assert embeddings.resolve_precision("float32") == "float32"
    assert embeddings.resolve_precision("int8") == "int8"  # asked for: MiniLMEncoder falls back with a warning
    monkeypatch.setattr(embeddings, "int8_supported", lambda: None)
    assert embeddings.resolve_precision("auto") == ("int8" if embeddings.available() else "float32")
    with caplog.at_level(logging.WARNING, logger="handoff.triage"):
        monkeypatch.setattr(embeddings, "int8_supported", lambda: "no int8 kernels checked for riscv64")
        assert embeddings.resolve_precision("auto") == "float32"
        monkeypatch.setattr(embeddings, "int8_supported", lambda: None)
        monkeypatch.setattr(embeddings, "RANGES_FILE", tmp_path / "minilm_int8_ranges.json")
        assert embeddings.resolve_precision("auto") == "float32"
    assert caplog.text == ""  # float32 on such a machine is no misconfiguration: nothing to warn about


def test_texts_are_packed_into_forwards_of_at_most_batch_texts_and_pack_tokens() -> None:
    lengths = [10] * 20 + [250, 7, 256, 3]
    groups = embeddings._packs(lengths)
    assert [i for group in groups for i in group] == list(range(len(lengths)))  # every text once, in order
    assert all(len(g) <= embeddings.BATCH for g in groups)
    assert all(sum(lengths[i] for i in g) <= embeddings.PACK_TOKENS for g in groups)
    assert groups[:2] == [list(range(16)), [16, 17, 18, 19]]  # 16 texts, then what is left before the 250


@needs_runtime
def test_texts_tokenized_one_by_one_get_the_batch_tokenizers_word_pieces_and_vectors(reference: Any) -> None:
    texts = [*eval_texts()[:120], "word " * 400]  # a text past MAX_TOKENS: truncated the same way
    batch = [e.ids for e in reference.tokenizer.encode_batch(texts)]
    encoder = embeddings.load_encoder("float32")
    assert encoder is not None
    seen: list[list[int]] = []
    original = encoder._forward

    def spy(ids: list[list[int]], exact: bool = False) -> Any:
        seen.extend(list(seq) for seq in ids)
        return original(ids, exact)

    encoder.clear_cache()
    encoder._forward = spy  # type: ignore[method-assign]
    try:
        vectors = encoder.encode(texts)
    finally:
        del encoder._forward
        encoder.clear_cache()
    assert seen == batch
    assert max(len(ids) for ids in seen) == embeddings.MAX_TOKENS
    alone = encoder._forward([batch[3]])[0]
    assert abs(float(vectors[3] @ alone) - 1.0) < 1e-5


WARM = """
import json, os
os.environ["HANDOFF_ANALYSIS_PRECISION"] = "int8"
os.environ["HANDOFF_ANALYSIS_WARM"] = "1"  # an analyser of an earlier test may have left "0" in the environment
import handoff.analysis_child  # the forkserver's warm-up runs at import
from handoff.triage import embeddings
print(json.dumps(sorted(embeddings._ENCODERS)))
"""


@int8_runs
def test_the_analysis_warm_up_loads_the_encoder_at_the_childrens_precision_only() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WARM], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    # A float32 encoder there too would be ~90 MB more in every analysis child, and a second build in each.
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["int8"]


@int8_runs
def test_an_int8_encoder_gives_float32_vectors_when_asked_and_category_phrases_are_float32s(reference: Any) -> None:
    import numpy as np

    from handoff.triage.taxonomy import DEFAULT_CATEGORIES

    path = embeddings.model_dir()
    assert path is not None
    fast = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision="int8")
    exact = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision="float32")
    assert (fast.exact, exact.exact) == (False, True)
    assert exact.error == {} and {"similarity", "sentiment_head"} <= set(fast.error)
    texts = eval_texts()[:40]
    assert np.abs(fast.encode(texts, exact=True) - reference.encode(texts)).max() < 1e-5
    assert np.abs(fast.encode(texts) - reference.encode(texts)).max() > 1e-4  # the int8 pass is the default
    assert fast.encoded == {"fast": 40, "exact": 40}
    fast.encode(texts[:5], exact=True)  # cached: not encoded again
    assert fast.encoded["exact"] == 40
    # The categories' side of each similarity is float32's, so only the customer's vector can be off.
    vectors = embeddings.CategoryVectors(fast, DEFAULT_CATEGORIES).vectors
    expected = embeddings.CategoryVectors(exact, DEFAULT_CATEGORIES).vectors
    assert max(float(np.abs(a - b).max()) for a, b in zip(vectors, expected, strict=True)) < 1e-5


@int8_runs
def test_the_int8_error_bounds_hold_on_every_labelled_text_of_both_splits(reference: Any) -> None:
    """Triage keeps an int8 decision only when it is further than these bounds from its boundary: a text whose
    int8 similarity or head score is off by more could change a decision."""
    import numpy as np

    from handoff.triage.sentiment import HEAD_FILE

    sys.path.insert(0, str(ROOT / "scripts"))
    from calibrate_int8 import difference_error, phrase_groups, phrases

    path = embeddings.model_dir()
    assert path is not None
    fast = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision="int8")
    texts = eval_texts()
    delta = fast.encode(texts) - reference.encode(texts)
    units = reference.encode(phrases())
    head = np.asarray(json.loads(HEAD_FILE.read_text(encoding="utf-8"))["weights"][:-1], dtype=np.float32)
    # Measured on the dev texts: 0.0196 and 0.0157 (VNNI, AMD EPYC and Intel Xeon alike), 0.0196 and 0.0171 (AVX2,
    # u8 weights); each kernel's largest times a margin of 1.5 is stored. The difference of two categories'
    # similarities (VNNI only so far): 0.0315 on dev.
    assert float(np.abs(delta @ units.T).max()) < fast.error["similarity"] <= 0.05
    assert float(np.abs(delta @ head).max()) < fast.error["sentiment_head"] <= 0.05
    if "similarity_difference" in fast.error:
        assert (
            difference_error(delta, phrase_groups(reference))
            < fast.error["similarity_difference"]
            <= 2 * fast.error["similarity"]
        )


@needs_runtime
def test_int8_without_its_error_bounds_runs_float32_and_says_how_to_measure_them(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    import logging

    document = json.loads(embeddings.RANGES_FILE.read_text(encoding="utf-8"))
    del document["errors"]
    ranges = tmp_path / "minilm_int8_ranges.json"
    ranges.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(embeddings, "RANGES_FILE", ranges)
    monkeypatch.setattr(embeddings, "int8_supported", lambda: None)
    path = embeddings.model_dir()
    assert path is not None
    with caplog.at_level(logging.WARNING, logger="handoff.triage"):
        encoder = embeddings.MiniLMEncoder(path, precision="int8")
    assert (encoder.precision, encoder.exact, encoder.error) == ("float32", True, {})
    assert "has no error bounds (scripts/calibrate_int8.py --errors writes them)" in caplog.text
