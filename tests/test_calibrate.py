"""``dsc-cost calibrate`` and calibrated device profiles: the fit recovers a model it was given, a profile's
calibration replaces the roofline's two numbers with hand-checkable arithmetic, bad profiles are located lines,
and an interrupted calibration writes nothing. No test here times anything."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from reference_packages import need

from dsc_cost.cli import main
from dsc_cost.devices import DeviceError, parse_profiles, resolve
from dsc_cost.memory import Step
from dsc_cost.runtime import calibrate as cal
from dsc_cost.runtime.calibrate import Point, benchmarks, fit

PROFILE = """mine:
  title: test machine
  kind: cpu
  peak: {fp32: 10G}
  bandwidth: 5G
  calibration:
    overhead: 1.0e-05
    rates: {conv: 10G, depthwise: 1G, pointwise: 8G, linear: 2G}
    bandwidths: {conv: 5G, depthwise: 4G, pointwise: 5G, linear: 5G, other: 2G}
    runtime: "onnxruntime 1.0"
    threads: 2
    cpu: "a CPU"
    date: "2026-01-01"
    residuals: {median: 0.1, p90: 0.2, benchmarks: 10}
"""


def runtime() -> None:
    """Skip the test without onnxruntime, or fail it under DSC_COST_REFERENCE."""
    need("onnxruntime")


def _step(kind: str, mults: int, moved: int, shape: str = "") -> Step:
    return Step(mults, 0, moved, 0, kind, shape)  # type: ignore[arg-type]


def test_the_fit_recovers_the_model_the_points_were_made_from() -> None:
    # a run costs 5 µs, a step 2 µs + max(mults / rate, bytes / 5G B/s); rates: conv 10G MACs/s at stride 1 and
    # 20G at stride 2, depthwise 1G; the chains of n tiny steps (nothing moved) take 5 + 2n µs
    rates = {("conv", "k3 s1"): 10e9, ("conv", "k3 s2"): 20e9, ("depthwise", "k3 s1"): 1e9, ("other", ""): 1.0}

    def point(kind: str, shape: str, m: int, b: int) -> Point:
        return Point(kind, (_step(kind, m, b, shape),), 5e-6 + 2e-6 + max(m / rates[kind, shape], b / 5e9))

    points = [
        point("conv", "k3 s1", 10**9, 10**6),
        point("conv", "k3 s1", 10**8, 10**7),
        point("conv", "k3 s1", 10**6, 10**8),
        point("conv", "k3 s2", 10**9, 10**6),
        point("conv", "k3 s2", 10**8, 10**6),
        point("depthwise", "k3 s1", 10**8, 10**6),
        point("depthwise", "k3 s1", 10**6, 10**8),
        point("other", "", 0, 10**8),
        point("other", "", 0, 10**7),
        point("other", "", 0, 10**4),
        point("conv", "k3 s1", 10**4, 10**3),
        point("depthwise", "k3 s1", 10**3, 10**3),
    ]
    points += [Point(f"{n} tiny", (_step("other", 0, 0),) * n, 5e-6 + 2e-6 * n, "nodes") for n in (1, 4, 16)]  # fmt: skip
    result = fit(points)
    assert result.run == pytest.approx(5e-6) and result.overhead == pytest.approx(2e-6)
    model = cal._model(result)
    assert model.rate("conv", "k3 s1") == pytest.approx(10e9, rel=0.01)
    assert model.rate("conv", "k3 s2") == pytest.approx(20e9, rel=0.01)
    assert model.rate("depthwise", "k3 s1") == pytest.approx(1e9, rel=0.01)
    for kind in ("conv", "depthwise", "other"):
        assert model.bandwidth(kind) == pytest.approx(5e9, rel=0.01)
    assert max(abs(r) for r in result.residuals) < 0.01


def test_a_profiled_fit_takes_off_the_profilers_cost_and_finds_the_reorders_bandwidth() -> None:
    # a run costs 5 µs and a tiny step 2 µs, but the profiler reads a tiny node as 5 µs: 3 µs of its own per node.
    # Single convs: own time 2 µs + mults / rate (conv 50G, pointwise 40G; compute-bound), profiled as that + 3 µs;
    # their runs add the reorders around them, into and out of the blocked layout: each 2 µs + 8 B a value / 20G
    from dsc_cost.layers.conv import ConvLayer
    from dsc_cost.layers.pointwise import PointwiseLayer
    from dsc_cost.memory import padded, reorders
    from dsc_cost.network import cost_network

    rates = {"conv": 50e9, "pointwise": 40e9}
    points = [
        Point(f"{n} tiny", (_step("other", 0, 0),) * n, 5e-6 + 2e-6 * n, "nodes", None, 5e-6 * n, n) for n in (1, 4, 16)
    ]
    # the machine pads channels to blocks of 16: 24 → 48 does the work of 32 → 48 (dsc_cost.memory.padded)
    for c, size in ((16, 56), (24, 28), (32, 28), (40, 14), (64, 14), (128, 7)):
        for kind, layer in (("conv", ConvLayer(c, (3, 3), padding=(1, 1))), ("pointwise", PointwiseLayer(2 * c))):
            bench = cal.Bench(f"{kind} {c}", (c, size, size), ((kind, layer),))
            (step,) = cal._point(bench, 0.0).steps
            own = 2e-6 + step.mults * float(padded(step, 16)) / rates[kind]
            moved = [n for ns in reorders(cost_network(cal._network(bench))).values() for n in ns]
            assert len(moved) == 2  # in and out
            extra = sum(2e-6 + 8 * n / 20e9 for n in moved)
            points.append(cal._point(bench, 5e-6 + own + extra, (own + 3e-6, 1)))
    result = fit(points)
    assert result.run == pytest.approx(5e-6) and result.overhead == pytest.approx(2e-6) and result.block == 16
    model = cal._model(result)
    assert float(model.step_overhead("conv")) == float(model.step_overhead("pointwise")) == pytest.approx(2e-6)
    assert model.rate("conv", "k3 s1") == pytest.approx(50e9, rel=0.01)
    assert model.rate("pointwise", "k1 s1") == pytest.approx(40e9, rel=0.01)
    assert model.bandwidth("other", "reorder") == pytest.approx(20e9, rel=0.01)
    assert max(abs(r) for r in result.residuals) < 0.01


def test_a_kind_of_step_gets_an_overhead_of_its_own_where_its_benchmarks_say_so() -> None:
    # depthwise steps cost 16 µs (8 tiny steps' 2 µs) + mults / 1G; pointwise ones 2 µs + mults / 40G: the fit
    # finds each kind's overhead among its candidates (multiples of the step's)
    from dsc_cost.layers.depthwise import DepthwiseLayer
    from dsc_cost.layers.pointwise import PointwiseLayer

    points = [Point(f"{n} tiny", (_step("other", 0, 0),) * n, 5e-6 + 2e-6 * n, "nodes") for n in (1, 4, 16)]
    for c, size in ((8, 4), (16, 7), (32, 14), (64, 28), (128, 56)):
        for kind, layer, own, rate in (
            ("depthwise", DepthwiseLayer((3, 3), padding=(1, 1)), 16e-6, 1e9),
            ("pointwise", PointwiseLayer(c), 2e-6, 40e9),
        ):
            bench = cal.Bench(f"{kind} {c}", (c, size, size), ((kind, layer),))
            (step,) = cal._point(bench, 0.0).steps
            points.append(cal._point(bench, 5e-6 + own + step.mults / rate))
    result = fit(points)
    model = cal._model(result)
    assert float(model.step_overhead("depthwise")) == pytest.approx(16e-6)
    assert float(model.step_overhead("pointwise")) == pytest.approx(2e-6)
    assert model.rate("depthwise", "k3 s1") == pytest.approx(1e9, rel=0.01)
    assert max(abs(r) for r in result.residuals) < 0.01


def test_the_benchmarks_cover_every_kind_the_issue_names() -> None:
    names = " ".join(b.name for b in benchmarks())
    for word in ("conv 3×3", "grouped conv", "depthwise 3×3", "depthwise 5×5", "depthwise 7×7", "pointwise",
                 "linear", "mlp", "max pool", "global pool", "relu", "add", "batchnorm", "layernorm", "/2"):  # fmt: skip
        assert word in names, word
    assert len(benchmarks(quick=True)) < len(benchmarks()) / 2


def test_a_calibrated_profile_times_a_step_as_overhead_plus_the_longer_of_its_two(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    device = resolve(str(path))
    assert device.name == "mine" and device.calibration is not None
    assert device.calibration.overhead == Fraction(1, 100_000)
    spec = tmp_path / "net.yaml"
    spec.write_text("name: n\ninput: [3, 7, 7]\nlayers:\n  - {type: conv, out: 128, kernel: 3}\n", encoding="utf-8")
    assert main(["network", str(spec), "--device", str(path), "--format", "json"]) == 0


def _seconds(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> float:
    spec = tmp_path / "net.yaml"
    spec.write_text("name: n\ninput: [3, 7, 7]\nlayers:\n  - {type: conv, out: 128, kernel: 3}\n", encoding="utf-8")
    assert main(["network", str(spec), "--format", "json", *args]) == 0
    totals = json.loads(capsys.readouterr().out)["networks"][0]["totals"]
    return float(totals["roofline"]["seconds"])


def test_the_network_time_of_a_calibrated_device(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    # the 7×7×3 → 128 example: 86,400 mults; bytes 3,456·4 + 147·4 + 3,200·4 = 27,212
    # conv: 10 µs + max(86,400 / 10G, 27,212 / 5G) = 10 µs + 8.64 µs = 18.64 µs
    assert _seconds(tmp_path, capsys, "--device", str(path)) == pytest.approx(18.64e-6)
    # the same profile without its calibration: the roofline on 10G MACs/s and 5G B/s: 8.64 µs
    plain = tmp_path / "plain.yaml"
    plain.write_text(PROFILE.split("  calibration:")[0], encoding="utf-8")
    assert _seconds(tmp_path, capsys, "--device", str(plain)) == pytest.approx(8.64e-6)


def test_devices_lists_a_profile_file_given_as_an_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    assert main(["devices", str(path), "--format", "csv"]) == 0
    assert "\nmine,cpu,10000000000," in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ("rates: {conv: 10G,", "8:19: mine.calibration.rates.conv: expected MACs per second"),
        ("overhead: 1.0e-05", "7:15: mine.calibration.overhead: expected seconds from 0 to 1"),
        ("threads: 2", "11:14: mine.calibration.threads: expected a whole number ≥ 0"),
    ],
)
def test_a_malformed_calibration_is_one_located_line(
    change: str, line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"rates: {conv: 10G,": "rates: {conv: fast,", "overhead: 1.0e-05": "overhead: -1",
           "threads: 2": "threads: many"}[change]  # fmt: skip
    path = tmp_path / "mine.yaml"
    path.write_text(PROFILE.replace(change, bad), encoding="utf-8")
    with pytest.raises(DeviceError):
        parse_profiles(path.read_text(encoding="utf-8"), str(path))
    assert main(["devices", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}:{line}")
    assert captured.err.count("\n") == 1


def test_a_device_file_of_several_profiles_asks_for_a_name(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(PROFILE + PROFILE.replace("mine:", "other:"), encoding="utf-8")
    with pytest.raises(DeviceError, match=r"a devices file of 2 profiles \(mine, other\): give it with --devices"):
        resolve(str(path))
    assert resolve("mine", [str(path)]).name == "mine"
    assert resolve(str(ROOT / "docs" / "devices-example.yaml")).name == "my-board"


SYNTHETIC = [Point("c", (_step("conv", 10**9, 10**6, "k3 s1"),), 0.1),
             Point("d", (_step("depthwise", 10**6, 10**7, "k3 s1"),), 0.005),
             Point("o", (_step("other", 0, 10**7),), 0.004)]  # fmt: skip


def test_calibrate_writes_a_profile_that_device_takes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime()
    monkeypatch.setattr(cal, "run_benchmarks", lambda threads, quick, advance: SYNTHETIC)
    out = tmp_path / "mine.yaml"
    assert main(["calibrate", "-o", str(out), "--quick", "--threads", "1", "--name", "box"]) == 0
    assert capsys.readouterr().err.startswith(f"wrote {out}: 3 benchmarks")
    [device] = parse_profiles(out.read_text(encoding="utf-8"), str(out)).values()
    assert device.name == "box" and device.calibration is not None and device.calibration.threads == 1
    # 10⁹ mults in 0.1 s, compute-bound (no chains of tiny steps: no run cost, an overhead far below 0.1 s)
    assert device.calibration.rate("conv", "k3 s1") == pytest.approx(10**10, rel=0.01)
    assert main(["devices", str(out)]) == 0


def test_an_interrupted_calibration_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime()

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cal, "run_benchmarks", interrupted)
    out = tmp_path / "mine.yaml"
    assert main(["calibrate", "-o", str(out)]) == 130
    assert not out.exists() and not list(tmp_path.iterdir())
    assert capsys.readouterr().out == ""


def test_a_calibrated_device_says_the_what_if_in_time_beside_mults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    # the 7×7×3 → 128 example (86,400 mults standard, 10,275 separable: 8.41× fewer), on PROFILE (overhead 10 µs):
    # standard: 10 + max(86,400 / 10G, 27,212 B / 5G) µs = 18.64 µs
    # depthwise: 675 mults, 108 + 588 + 300 = 996 B: 10 + max(675 / 1G, 996 / 4G) µs = 10.675 µs
    # pointwise: 9,600 mults, 1,536 + 300 + 12,800 = 14,636 B: 10 + max(9,600 / 8G, 14,636 / 5G) µs = 12.9272 µs
    # separable: 23.6022 µs, 1.2662× the standard's
    phrase = "8.41× fewer mults, 1.27× slower"
    assert main(["compare", "-c", "3", "-o", "128", "-k", "3", "--size", "7", "--device", str(path)]) == 0
    assert f"separable vs standard on mine: {phrase}" in capsys.readouterr().out
    spec = tmp_path / "net.yaml"
    spec.write_text("name: n\ninput: [3, 7, 7]\nlayers:\n  - {type: conv, out: 128, kernel: 3}\n", encoding="utf-8")
    assert main(["network", str(spec), "--device", str(path), "--wide"]) == 0
    assert f"as separable vs as standard on mine: {phrase}" in capsys.readouterr().out
    assert main(["devices", str(path), "--format", "json"]) == 0
    [mine] = [d for d in json.loads(capsys.readouterr().out)["devices"] if d["name"] == "mine"]
    assert mine["calibration"]["rates"]["conv"] == 10**10
    assert mine["calibration"]["overhead_seconds"] == 1e-05


SHAPED = (
    PROFILE.replace("overhead: 1.0e-05", "run: 3.0e-05\n    overhead: 1.0e-05\n    fused: 0.25")
    .replace("rates: {conv: 10G,", "rates: {conv: 10G, conv s2: 20G,")
    .replace("bandwidths: {conv: 5G,", "bandwidths: {conv: 50G,")
)
"""PROFILE with a run cost of 30 µs, a rate for strided convs and a fused share of a quarter."""


def test_a_calibrated_network_adds_its_run_a_strided_rate_and_a_fused_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(SHAPED, encoding="utf-8")
    # 3×8×8 → conv 3×3/2 (padding 1) → 64×4×4: 64·16·27 = 27,648 mults;
    # bytes 64·27·4 + 3·64·4 + 64·16·4 = 6,912 + 768 + 4,096 = 11,776
    # conv (shape k3 s2: the conv s2 rate): 10 µs + max(27,648 / 20G, 11,776 / 50G) = 10 + 1.3824 µs = 11.3824 µs
    # relu (fused into the conv): ¼ × (10 µs + 8,192 B / 2G) = ¼ × 14.096 µs = 3.524 µs
    # the run: 30 µs; in all 44.9064 µs
    spec = tmp_path / "net.yaml"
    spec.write_text(
        "name: n\ninput: [3, 8, 8]\nlayers:\n  - {type: conv, out: 64, kernel: 3, stride: 2, padding: 1}\n"
        "  - {type: activation, fn: relu}\n",
        encoding="utf-8",
    )
    assert main(["network", str(spec), "--format", "json", "--device", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(44.9064e-6)
    # with a cache of 4,096 B and 1G B/s beyond it: conv 10 + 4,096 / 50G + 7,680 / 1G = 17.76192 µs (memory-bound
    # now); relu ¼ × (10 + 4,096 / 2G + 4,096 / 1G) = ¼ × 16.144 = 4.036 µs; with the run 51.79792 µs
    cached = tmp_path / "cached.yaml"
    cached.write_text(SHAPED.replace("fused: 0.25", "fused: 0.25\n    cache: 4096\n    dram: 1G"), encoding="utf-8")
    assert main(["network", str(spec), "--format", "json", "--device", str(cached)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(51.79792e-6)
    # silu is x·sigmoid(x), which onnxruntime runs on its own (it reads x twice): the whole 14.096 µs, 55.4784 µs
    spec.write_text(spec.read_text(encoding="utf-8").replace("fn: relu", "fn: silu"), encoding="utf-8")
    assert main(["network", str(spec), "--format", "json", "--device", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(55.4784e-6)
    spec.write_text(spec.read_text(encoding="utf-8").replace("fn: silu", "fn: relu"), encoding="utf-8")
    # without the calibration's run, fused and strided rate: 10 + max(27,648 / 10G, …) + 14.096 = 26.8608 µs
    plain = tmp_path / "plain.yaml"
    plain.write_text(PROFILE.replace("bandwidths: {conv: 5G,", "bandwidths: {conv: 50G,"), encoding="utf-8")
    assert main(["network", str(spec), "--format", "json", "--device", str(plain)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(26.8608e-6)


def test_a_calibrated_network_pays_its_layout_reorders_and_a_bandwidth_per_layer_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROFILE.replace("other: 2G}", "other: 2G, other reorder: 4G, other silu: 1G}"), encoding="utf-8")
    # 16×4×4 → conv 3×3 (padding 1) → 16×4×4 → silu: conv 16·16·9·16 = 36,864 mults, bytes 9,216 + 1,024 + 1,024
    # = 11,264: 10 µs + max(36,864 / 10G, 11,264 / 5G) = 13.6864 µs. The conv runs blocked, silu plain: the input
    # is reordered into the conv's layout and its output out of it, 256 values each way, 2,048 B at 4G: 2 ×
    # (10 + 0.512) = 21.024 µs; silu 10 + 2,048 / 1G = 12.048 µs (its own bandwidth); in all 46.7584 µs
    spec = tmp_path / "net.yaml"
    spec.write_text(
        "name: n\ninput: [16, 4, 4]\nlayers:\n  - {type: conv, out: 16, kernel: 3, padding: 1}\n"
        "  - {type: activation, fn: silu}\n",
        encoding="utf-8",
    )
    assert main(["network", str(spec), "--format", "json", "--device", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(46.7584e-6)
    # without a reorder bandwidth the model has no reorders; silu at other's 2G: 13.6864 + 10 + 1.024 µs
    path.write_text(PROFILE, encoding="utf-8")
    assert main(["network", str(spec), "--format", "json", "--device", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(24.7104e-6)
    # a conv's own overhead of 20 µs in place of every step's 10: 20 + 3.6864 + 10 + 1.024 µs
    path.write_text(PROFILE.replace("overhead: 1.0e-05", "overhead: 1.0e-05\n    overheads: {conv: 2.0e-05}"))
    assert main(["network", str(spec), "--format", "json", "--device", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(34.7104e-6)
    # a block of 64 channels: the conv's 16 input and 16 output channels each padded to 64, 16× its mults (589,824
    # at 10G: 58.9824 µs, now beyond its memory time): 10 + 58.9824 + 10 + 1.024 µs
    path.write_text(PROFILE.replace("overhead: 1.0e-05", "overhead: 1.0e-05\n    block: 64"))
    assert main(["network", str(spec), "--format", "json", "--device", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)["networks"][0]
    assert float(document["totals"]["roofline"]["seconds"]) == pytest.approx(80.0064e-6)
    path.write_text(PROFILE.replace("overhead: 1.0e-05", "overhead: 1.0e-05\n    block: many"))
    assert main(["network", str(spec), "--device", str(path)]) == 2
    assert "mine.calibration.block: expected a whole number of channels from 0 to 64, found" in capsys.readouterr().err
    path.write_text(PROFILE.replace("overhead: 1.0e-05", "overhead: 1.0e-05\n    overheads: {convs: 1, conv: -1}"))
    assert main(["network", str(spec), "--device", str(path)]) == 2
    err = capsys.readouterr().err
    assert "mine.calibration.overheads.convs: unknown kind" in err
    assert "mine.calibration.overheads.conv: expected seconds from 0 to 1, such as 4.1e-06, found -1" in err
    path.write_text(PROFILE.replace("other: 2G}", "other: 2G, other Layer-Norm: 1G}"), encoding="utf-8")
    assert main(["network", str(spec), "--device", str(path)]) == 2
    assert "mine.calibration.bandwidths.other Layer-Norm: unknown kind" in capsys.readouterr().err


def test_a_network_reorders_where_it_passes_between_blocked_and_plain_maps() -> None:
    # 16×8×8 (1,024 values) → conv 3×3 (blocked: its input reordered in) → channel shuffle (plain: the conv's output
    # reordered out) → depthwise (blocked: the shuffle's output reordered in) → pointwise to 58 channels (not a
    # multiple of 4: the plain path, so the depthwise output is reordered out, with the depthwise layer) → relu
    # (plain, as its input): the network's output is plain, nothing more
    from dsc_cost.formulas import Shape
    from dsc_cost.layers.activation import ActivationLayer
    from dsc_cost.layers.shuffle import ShuffleLayer
    from dsc_cost.memory import reorders, steps
    from dsc_cost.network import ConvLayer, DepthwiseLayer, Network, Node, PointwiseLayer, cost_network

    nodes = (
        Node("conv", "conv", ConvLayer(16, (3, 3), padding=(1, 1))),
        Node("shuffle", "shuffle", ShuffleLayer(2)),
        Node("dw", "depthwise", DepthwiseLayer((3, 3), padding=(1, 1))),
        Node("pw", "pointwise", PointwiseLayer(58)),
        Node("relu", "activation", ActivationLayer("relu")),
    )
    result = cost_network(Network("n", Shape(16, 8, 8), nodes))
    assert reorders(result) == {0: [1024, 1024], 2: [1024, 1024]}
    (pointwise,) = steps((nodes[3].layer,), (Shape(16, 8, 8),), 1, 4, 4)
    assert pointwise.shape == "k1 s1 plain"
    # a 1-D network runs plain throughout: no reorders
    line = Network("l", Shape.of(16, (8,)), (Node("dw", "depthwise", DepthwiseLayer((3,), (1,), (1,))),))
    assert reorders(cost_network(line)) == {}


@pytest.mark.parametrize(
    ("change", "bad", "message"),
    [
        ("fused: 0.25", "fused: 2", "mine.calibration.fused: expected a share from 0 to 1"),
        ("conv s2: 20G", "conv x2: 20G", "mine.calibration.rates.conv x2: unknown kind"),
        ("run: 3.0e-05", "run: soon", "mine.calibration.run: expected seconds from 0 to 1"),
    ],
)
def test_a_malformed_run_fused_or_shaped_rate_is_one_located_line(
    change: str, bad: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(SHAPED.replace(change, bad), encoding="utf-8")
    assert main(["devices", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert message in captured.err and captured.err.startswith(f"{path}:")


def test_a_profile_written_reads_back_whatever_its_seconds() -> None:
    # 5e-06 without a point is text to YAML 1.1: the profile writes 5.000e-06
    result = cal.Fit(5e-6, 2e-6, {"conv": 1e10}, {"other": 1e9}, [0.1], [], 0.0)
    text = cal.profile_text("box", cal._model(result))
    assert "run: 5.000e-06" in text and "overhead: 2.000e-06" in text
    [device] = parse_profiles(text, "box.yaml").values()
    assert device.calibration is not None and device.calibration.run == Fraction(5, 10**6)


@pytest.mark.parametrize(
    ("mults", "moved", "beyond"),
    [(10**9, 10**6, (0, 0)), (10**6, 10**7, (0, 0)), (0, 10**7, (0, 0)), (10**6, 3 * 10**6, (10**6, 2 * 10**9))],
)
def test_the_fits_float_step_is_memorys_step_seconds(mults: int, moved: int, beyond: tuple[int, int]) -> None:
    # The search prices each candidate rate in floats (calibrate._step) for speed; the model that predicts is
    # memory.step_seconds, in fractions: the two must be one formula.
    from dsc_cost.devices import Calibration
    from dsc_cost.memory import step_seconds

    step = _step("conv", mults, moved, "k3 s1")
    overhead, rate, bandwidth = Fraction(1, 10**5), 4 * 10**10, 8 * 10**9
    model = Calibration(overhead, (("conv", rate),), (("conv", bandwidth),), cache=beyond[0], dram=beyond[1])
    exact = max(step_seconds(step, 1, 1, model))
    assert cal._step(step, float(overhead), rate, bandwidth, beyond) == pytest.approx(float(exact), rel=1e-12)
