"""The int8 encoder picks, by CPU, weights onnxruntime multiplies exactly, and says in the log which and why."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from handoff.triage import embeddings


def _has_onnxruntime() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


needs_runtime = pytest.mark.skipif(not _has_onnxruntime(), reason="onnxruntime and onnx not installed")
KIND, WHY = embeddings.int8_kernels()
exact_kernels = pytest.mark.skipif(KIND is None, reason=f"no exact int8 kernels here: {WHY}")


def _integer_product(a: Any, quantised: Any, weights: str) -> Any:
    """One MatMulIntegerToFloat as the int8 graph builds it (u8 activations, zero point 128, unit scales)."""
    import numpy as np
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    stored, zero = embeddings.weight_integers(quantised, weights)
    initializers = [
        numpy_helper.from_array(stored, "b"),
        numpy_helper.from_array(np.float32(1.0), "a_scale"),
        numpy_helper.from_array(np.ones(quantised.shape[1], dtype=np.float32), "b_scale"),
        numpy_helper.from_array(np.uint8(128), "a_zero"),
    ]
    inputs = ["a", "b", "a_scale", "b_scale", "a_zero"]
    if zero is not None:
        initializers.append(numpy_helper.from_array(zero, "b_zero"))
        inputs.append("b_zero")
    node = helper.make_node("MatMulIntegerToFloat", inputs, ["y"], domain="com.microsoft")
    graph = helper.make_graph(
        [node],
        "product",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, ["m", quantised.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["m", quantised.shape[1]])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)]
    )
    model.ir_version = 9
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return session.run(["y"], {"a": a})[0]


@needs_runtime
@exact_kernels
def test_the_int8_products_this_cpu_runs_are_the_exact_integer_products() -> None:
    """The worst cases of the encoder's integers: activations at 0 and 255 (-128 and +127 about the zero point 128)
    against weights at +-127, so every pair of products is 2 * 255 * 127 away from zero where a 16-bit lane saturates
    (vpmaddubsw on x86 without VNNI), and random integers of the same ranges; 384 deep, as the encoder's matmuls."""
    import numpy as np

    rng = np.random.default_rng(7)
    depth = 384
    a = np.stack(
        [
            np.full(depth, 255),
            np.zeros(depth),
            np.tile([255, 255, 0, 0], depth // 4),
            *rng.integers(0, 256, size=(5, depth)),
        ]
    ).astype(np.uint8)
    quantised = np.stack(
        [
            np.full(depth, 127),
            np.full(depth, -127),
            np.tile([127, 127, -127, -127], depth // 4),
            *rng.integers(-127, 128, size=(5, depth)),
        ],
        axis=1,
    ).astype(np.int8)
    # Below 2^24 in magnitude (127 * 127 * 384), so float32 holds every product exactly.
    expected = (a.astype(np.int64) - 128) @ quantised.astype(np.int64)
    assert KIND is not None
    got = _integer_product(a, quantised, KIND)
    assert np.array_equal(got, expected.astype(np.float32))


def test_weights_stored_as_u8_are_the_same_integers_as_s8() -> None:
    import numpy as np

    quantised = np.arange(-127, 128, dtype=np.int8).reshape(-1, 1)
    stored, zero = embeddings.weight_integers(quantised, "u8")
    assert stored.dtype == np.uint8 and zero == 128
    assert np.array_equal(stored.astype(np.int16) - int(zero), quantised)
    same, none = embeddings.weight_integers(quantised, "s8")
    assert same is quantised and none is None


def test_each_cpu_gets_the_kernels_that_are_exact_on_it(tmp_path: Any) -> None:
    cpuinfo = tmp_path / "cpuinfo"

    def cpu(machine: str, flags: str | None) -> tuple[str | None, str]:
        if flags is None:
            cpuinfo.unlink(missing_ok=True)
        else:
            cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n", encoding="ascii")
        return embeddings.int8_kernels(machine, cpuinfo)

    assert cpu("x86_64", "fpu sse4_1 avx avx2 fma avx512f avx512bw avx512_vnni")[0] == "s8"
    assert cpu("x86_64", "fpu sse4_1 avx avx2 fma avx_vnni")[0] == "s8"
    assert cpu("x86_64", "fpu sse4_1 avx avx2 fma f16c") == (
        "u8",
        "no VNNI, whose u8 x s8 pairs would saturate at 16 bits; u8 x u8 pairs are widened and exact",
    )
    assert cpu("x86_64", "fpu sse4_1 avx avx2 avx512f avx512bw")[0] == "u8"  # AVX-512 without VNNI saturates too
    assert cpu("AMD64", "fpu sse4_1 avx avx2")[0] == "u8"
    assert cpu("aarch64", None)[0] == "s8"
    assert cpu("x86_64", None) == (None, "cannot read /proc/cpuinfo to check for VNNI")
    assert cpu("riscv64", None) == (None, "no int8 kernels checked for riscv64")
    # This machine: int8 is refused only where no kernel is known to be exact.
    assert (embeddings.int8_supported() is None) == (embeddings.int8_kernels()[0] is not None)


@needs_runtime
@exact_kernels
@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
def test_auto_runs_int8_here_and_the_log_says_on_which_kernels_and_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import numpy as np
    import onnx

    monkeypatch.setattr(embeddings, "_ENCODERS", {})  # a fresh load, so its log line is written
    with caplog.at_level(logging.INFO, logger="handoff.triage"):
        encoder = embeddings.load_encoder("auto")
    assert encoder is not None and (encoder.precision, encoder.exact) == ("int8", False)
    assert f"on onnxruntime, int8, u8 x {KIND} products ({WHY})" in caplog.text
    kinds = {
        onnx.helper.tensor_dtype_to_np_dtype(t.data_type)
        for t in onnx.load_from_string(
            embeddings._onnx_model(
                embeddings.MiniLMEncoder(embeddings.model_dir(), runtime="numpy").w,  # type: ignore[arg-type]
                encoder.heads,
                encoder.layers,
                encoder.eps,
                "int8",
                embeddings.load_ranges(),
                weights=KIND or "s8",
            )
        ).graph.initializer
        if t.name.endswith(".q")
    }
    assert kinds == {np.dtype(np.uint8 if KIND == "u8" else np.int8)}
    # No text in the log: only which path runs.
    assert "charged twice" not in caplog.text
    encoder.encode(["I was charged twice for my March invoice."])
    assert "charged twice" not in caplog.text


@needs_runtime
@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
def test_auto_on_a_cpu_without_exact_int8_kernels_runs_float32_and_the_log_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embeddings, "_ENCODERS", {})
    monkeypatch.setattr(embeddings, "int8_supported", lambda: "no int8 kernels checked for riscv64")
    with caplog.at_level(logging.INFO, logger="handoff.triage"):
        encoder = embeddings.load_encoder("auto")
    assert encoder is not None and (encoder.precision, encoder.exact, encoder.kernels) == ("float32", True, "")
    assert 'float32 by "auto" because int8 cannot run here: no int8 kernels checked for riscv64' in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # no misconfiguration to warn about
