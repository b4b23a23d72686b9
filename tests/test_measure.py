"""``dsc-cost measure``: a network run in onnxruntime, timed whole and per layer, beside the roofline prediction.
Never a timed test: what is asserted is the shape of the output and what must hold whatever the machine."""

from __future__ import annotations

import builtins
import json
from typing import Any

import pytest
from conftest import ROOT
from reference_packages import need

from dsc_cost.cli import main
from dsc_cost.runtime.measure import attribute, timing

SEEDS = str(ROOT / "configs" / "seeds.yaml")
V1 = str(ROOT / "configs" / "mobilenet_v1.yaml")


def runtime() -> None:
    """Skip the test without onnxruntime, or fail it under DSC_COST_REFERENCE."""
    need("onnxruntime")


def test_the_timing_of_runs_is_the_median_and_the_quartiles() -> None:
    # 1..9: median 5, quartiles 3 and 7 (inclusive method)
    t = timing([9.0, 1.0, 8.0, 2.0, 7.0, 3.0, 6.0, 4.0, 5.0])
    assert (t.median, t.low, t.high, t.fastest, t.runs) == (5.0, 3.0, 7.0, 1.0, 9)
    assert t.spread == pytest.approx(0.8)


def test_profiler_nodes_go_to_their_layers() -> None:
    layers = ["conv1", "block1", "block1.1", "fc"]
    assert attribute("block1/pointwise_nchwc", layers) == "block1"
    assert attribute("block1.1_nchwc", layers) == "block1.1"
    assert attribute("fc/flatten", layers) == "fc"
    assert attribute("ReorderOutput", layers) == "other"


def test_without_onnxruntime_measure_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "onnxruntime":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    assert main(["measure", SEEDS]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "running a network needs onnxruntime and onnx: pip install 'dsc-cost[runtime]'\n"


def test_measure_gives_measured_beside_predicted_per_layer(capsys: pytest.CaptureFixture[str]) -> None:
    runtime()
    args = ["measure", V1, "--runs", "3", "--warmup", "1", "--threads", "1", "--per-layer", "--format", "json"]
    assert main([*args, "--device", "peak=10G,bandwidth=10G"]) == 0
    [net] = json.loads(capsys.readouterr().out)["networks"]
    assert net["network"] == "MobileNet V1 1.0-224"
    assert net["mults"] == 568740352  # the spec's (MobileNet V1's Table 1: 569M)
    assert net["measured"]["runs"] == 3
    assert 0 < net["measured"]["fastest_seconds"] <= net["measured"]["median_seconds"]
    # the roofline on 10G MACs/s: at least the mults over the peak
    assert net["predicted_seconds"] >= 568740352 / 10e9
    names = [layer["layer"] for layer in net["layers"]]
    assert names[:3] == ["conv1", "block1", "block2"] and "fc" in names
    assert all(layer["measured_seconds"] is not None for layer in net["layers"] if layer["layer"] != "pool")


def test_a_fused_kernels_time_goes_to_its_conv(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # onnxruntime runs a conv and the relu after it as one kernel, named after the relu: the conv's time
    runtime()
    spec = tmp_path / "net.yaml"
    spec.write_text(
        "name: n\ninput: [16, 28, 28]\nlayers:\n  - {name: c, type: conv, out: 32, kernel: 3, padding: 1}\n"
        "  - {name: r, type: activation, fn: relu}\n  - {name: s, type: activation, fn: silu}\n",
        encoding="utf-8",
    )
    args = ["measure", str(spec), "--runs", "3", "--warmup", "1", "--threads", "1", "--per-layer", "--format", "json"]
    assert main(args) == 0
    [net] = json.loads(capsys.readouterr().out)["networks"]
    measured = {layer["layer"]: layer["measured_seconds"] for layer in net["layers"]}
    assert measured["c"] > 0 and measured["r"] is None and measured["s"] > 0  # silu runs on its own


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_measure_writes_every_format(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    runtime()
    assert main(["measure", SEEDS, "--runs", "2", "--warmup", "0", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.count("seed ") >= 4


def test_a_model_onnxruntime_refuses_is_one_line(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    runtime()
    path = tmp_path / "m.onnx"
    assert main(["export", SEEDS, "--network", "seed 6x6x3 to 4", "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["measure", str(path), "--batch", "0"]) == 2  # a usage error: batch ≥ 1
    assert capsys.readouterr().out == ""
