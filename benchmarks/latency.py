"""How well a calibrated device profile predicts onnxruntime's time on this machine (issue 28's goals).

Every network of every shipped config is exported, run in onnxruntime (median of --runs after a warm-up) and
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
from dsc_cost.runtime.calibrate import calibration, cpu_name, fit, profile_text, run_benchmarks  # noqa: E402
from dsc_cost.runtime.export import export_network, model_bytes  # noqa: E402
from dsc_cost.runtime.measure import Settings, measure  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="a calibrated profile (default: calibrate first)")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--runs", type=int, default=20)
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
    settings = Settings(args.threads, 1, 5, args.runs)

    print(f"\n{'network':34} {'mults':>14} {'predicted':>12} {'measured':>12} {'ratio':>7}")
    rows = []
    for config in sorted((ROOT / "configs").iterdir()):
        if config.suffix not in (".yaml", ".json"):
            continue
        for spec in load_files([str(config)]):
            network = spec.network
            model = model_bytes(export_network(network).model)
            m = measure(network, model, settings, device)
            p = predicted(network, device)
            rows.append((network.name, m.mults, p, m.timing.median))
            print(f"{network.name[:34]:34} {m.mults:>14,} {_ms(p):>12} {_ms(m.timing.median):>12}"
                  f" {m.timing.median / p:7.2f}")  # fmt: skip
    ratios = [measured / pred for _, _, pred, measured in rows]
    within = lambda share: sum(1 for r in ratios if abs(r - 1) <= share) / len(ratios)  # noqa: E731
    rho = spearman([r[2] for r in rows], [r[3] for r in rows])
    print(f"\n{len(rows)} networks: within ±20 %: {within(0.20):.0%}, within ±35 %: {within(0.35):.0%},"
          f" Spearman {rho:.3f} (goals: ≥ 90 %, 100 %, ≥ 0.95)")  # fmt: skip

    print(f"\n{'pair (C→O, K, H, stride)':30} {'predicted sep/std':>18} {'measured sep/std':>17} {'error':>7}")
    good = 0
    for c, o, k, h, s in PAIRS:
        x = Shape(c, h, h)
        pad = (k // 2, k // 2)
        times = []
        for layer, kind in ((ConvLayer(o, (k, k), (s, s), pad), "conv"), (SeparableLayer(o, (k, k), (s, s), pad),
                                                                          "separable")):  # fmt: skip
            network = Network(f"{kind}", x, (Node("layer", kind, layer),))
            model = model_bytes(export_network(network).model)
            m = measure(network, model, settings, device)
            times.append((predicted(network, device), m.timing.median))
        pred_ratio = times[1][0] / times[0][0]
        meas_ratio = times[1][1] / times[0][1]
        error = pred_ratio / meas_ratio - 1
        good += abs(error) <= 0.25
        print(f"{f'{c}→{o}, {k}, {h}, {s}':30} {pred_ratio:18.3f} {meas_ratio:17.3f} {error:+7.0%}")
    print(f"\n{good} of {len(PAIRS)} pairs within ±25 % of the measured ratio (goal: ≥ 18)")
    print(f"load average at the end: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
