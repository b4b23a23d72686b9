"""How well a calibrated device profile predicts onnxruntime's time on this machine (issue 28's goals).

Every network of every shipped config (every variant of the family configs) is exported, run in onnxruntime
(the least over --rounds rounds through every model of the median of its runs in a round, after a warm-up) and
predicted with the profile (``dsc-cost calibrate``'s, made first unless --profile gives one): the table of
network, mults, predicted, measured and measured ÷ predicted, then the share within ±20 % and ±35 % and the
Spearman rank correlation of predicted and measured. Then 20 single-layer pairs, a standard conv against its
separable form over channels, kernel, map and stride: the predicted time ratio against the measured one.

Run from the checkout, in one process, on a quiet machine: ``python benchmarks/latency.py [--profile FILE]``.
A benchmark, never a test: its figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dsc_cost.devices import Device, resolve  # noqa: E402
from dsc_cost.formulas import Shape  # noqa: E402
from dsc_cost.layers.conv import ConvLayer  # noqa: E402
from dsc_cost.layers.separable import SeparableLayer  # noqa: E402
from dsc_cost.memory import network_memory  # noqa: E402
from dsc_cost.network import Network, Node, cost_network  # noqa: E402
from dsc_cost.runtime.calibrate import calibration, cpu_name, fit, profile_text, run_benchmarks, time_model  # noqa: E402
from dsc_cost.runtime.export import export_network, model_bytes  # noqa: E402
from dsc_cost.spec import load_files  # noqa: E402


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (ties get their mean rank)."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def predicted(network: Network, device: Device) -> float:
    roofline = network_memory(cost_network(network), device=device).roofline
    assert roofline is not None
    return float(roofline.seconds)


def _load() -> str:
    """The 1-, 5- and 15-minute load averages (where the system gives them): how quiet the machine was."""
    try:
        return ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:9.3f} ms"


PAIRS = [  # (C, O, K, H, stride): spanning the configs' convs
    (16, 32, 3, 112, 1), (32, 64, 3, 112, 2), (32, 32, 3, 56, 1), (64, 64, 3, 56, 1), (64, 128, 3, 56, 2),
    (96, 96, 5, 28, 1), (128, 128, 3, 28, 1), (128, 256, 3, 28, 2), (144, 144, 5, 28, 1), (192, 192, 3, 14, 1),
    (256, 256, 3, 14, 1), (256, 512, 3, 14, 2), (384, 384, 7, 14, 1), (512, 512, 3, 7, 1), (512, 512, 5, 7, 1),
    (960, 960, 3, 7, 1), (24, 48, 7, 56, 1), (48, 96, 5, 56, 2), (320, 320, 3, 14, 1), (768, 768, 7, 7, 1),
]  # fmt: skip


def _models() -> list[tuple[str, Network, bytes]]:
    """Every network of every shipped config, each variant of the family configs included, with its ONNX model."""
    from dsc_cost.readers.spec.params import ALL

    out = []
    for config in sorted((ROOT / "configs").iterdir()):
        if config.suffix in (".yaml", ".json"):
            for spec in load_files([str(config)], variants=(ALL,)):
                out.append((spec.network.name, spec.network, model_bytes(export_network(spec.network).model)))
    return out


def _pairs() -> list[tuple[tuple[int, ...], Network, Network]]:
    """The single-layer pairs: a standard conv and its separable form, each a network of one layer."""
    out = []
    for c, o, k, h, s in PAIRS:
        pad = (k // 2, k // 2)
        standard = Network("conv", Shape(c, h, h), (Node("layer", "conv", ConvLayer(o, (k, k), (s, s), pad)),))
        separable = Network("separable", Shape(c, h, h),
                            (Node("layer", "separable", SeparableLayer(o, (k, k), (s, s), pad)),))  # fmt: skip
        out.append(((c, o, k, h, s), standard, separable))
    return out


def _timed(models: list[tuple[str, Network, bytes]], threads: int, rounds: int, budget: float) -> dict[str, float]:
    """Each model's time: the least, over ``rounds`` rounds through all of them, of the median of its runs in a
    round (about ``budget`` seconds, 5 runs at least). A round visits every model before the next begins, so a
    spell of a busy machine slows one round of a model, not every one of its figures."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        for key, network, model in models:
            seconds = time_model(model, network.input, threads, budget)
            best[key] = min(best.get(key, seconds), seconds)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="a calibrated profile (default: calibrate first)")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="rounds through every model (its least median)")
    parser.add_argument("--quick", action="store_true", help="calibrate with --quick")
    args = parser.parse_args()
    import onnxruntime

    print(f"machine: {cpu_name()}, {platform.system()} {platform.machine()}, Python {platform.python_version()},"
          f" onnxruntime {onnxruntime.__version__}, threads {args.threads or 'default'}")  # fmt: skip
    print(f"load average at the start: {_load()}")
    if args.profile:
        device = resolve(args.profile)
    else:
        start = time.perf_counter()
        found = calibration(fit(run_benchmarks(args.threads, args.quick)), args.threads)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "calibrated.yaml")
            Path(path).write_text(profile_text("calibrated", found), encoding="utf-8")
            device = resolve(path)
        print(f"calibrated in {time.perf_counter() - start:.0f} s: residuals {dict(found.residuals)}")
    model = device.calibration
    if model is not None:
        reorder = model.bandwidth("other", "reorder")
        print(f"run {float(model.run):.3g} s, overhead {float(model.overhead):.3g} s, fused {float(model.fused):g},"
              f" cache {model.cache:,} B, dram {model.dram:,} B/s, reorders {reorder:,} B/s")  # fmt: skip

    networks = _models()
    pairs = _pairs()
    models = [(name, network, model) for name, network, model in networks]
    for key, standard, separable in pairs:
        for network in (standard, separable):
            models.append((f"{key} {network.name}", network, model_bytes(export_network(network).model)))
    measured = _timed(models, args.threads, args.rounds, 0.3)

    print(f"\n{'network':34} {'mults':>14} {'predicted':>12} {'measured':>12} {'ratio':>7}")
    rows = []
    for name, network, _ in networks:
        mults = cost_network(network).total.mults
        p, m = predicted(network, device), measured[name]
        rows.append((name, mults, p, m))
        print(f"{name[:34]:34} {mults:>14,} {_ms(p):>12} {_ms(m):>12} {m / p:7.2f}")
    ratios = [m / p for _, _, p, m in rows]
    within = lambda share: sum(1 for r in ratios if abs(r - 1) <= share) / len(ratios)  # noqa: E731
    rho = spearman([r[2] for r in rows], [r[3] for r in rows])
    print(f"\n{len(rows)} networks: within ±20 %: {within(0.20):.0%}, within ±35 %: {within(0.35):.0%},"
          f" Spearman {rho:.3f} (goals: ≥ 90 %, 100 %, ≥ 0.95)")  # fmt: skip

    print(f"\n{'pair (C→O, K, H, stride)':30} {'predicted sep/std':>18} {'measured sep/std':>17} {'error':>7}")
    good = 0
    for key, standard, separable in pairs:
        c, o, k, h, s = key
        pred_ratio = predicted(separable, device) / predicted(standard, device)
        meas_ratio = measured[f"{key} separable"] / measured[f"{key} conv"]
        error = pred_ratio / meas_ratio - 1
        good += abs(error) <= 0.25
        print(f"{f'{c}→{o}, {k}, {h}, {s}':30} {pred_ratio:18.3f} {meas_ratio:17.3f} {error:+7.0%}")
    print(f"\n{good} of {len(PAIRS)} pairs within ±25 % of the measured ratio (goal: ≥ 18)")
    print(f"load average at the end: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
