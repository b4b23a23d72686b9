"""The table of docs/torch.md: each torchvision model of configs/ costed by ``dsc_cost.from_torch``, beside torch's
own parameter count, torchinfo's ``summary`` and fvcore's ``FlopCountAnalysis``, and beside the config's numbers.
Needs torch, torchvision, torchinfo, fvcore and onnx; run from the repository root, in the reference environment:

    PYTHONPATH=. python scripts/torch_table.py > table.md

tests/test_from_torch.py measures the same rows (through :func:`measure`) and checks the table in docs/torch.md.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any, NamedTuple

MODELS = (
    "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small", "efficientnet_b0", "mnasnet1_0",
    "shufflenet_v2_x1_0", "convnext_tiny", "resnet18", "vgg16",
)  # fmt: skip
"""Every torchvision model of configs/ (configs/NAME.yaml)."""
INPUT = (1, 3, 224, 224)
ROOT = Path(__file__).resolve().parent.parent


class Row(NamedTuple):
    model: str
    torch_params: int
    torchinfo_params: int
    torchinfo_mult_adds: int
    fvcore_params: int
    fvcore_flops: int
    fvcore_conv_linear: int
    result: Any  # dsc-cost's NetworkCost from from_torch
    config: Any  # dsc-cost's NetworkCost of configs/NAME.yaml


def model(name: str) -> Any:
    import torch
    import torchvision

    torch.manual_seed(0)
    return getattr(torchvision.models, name)().eval()


def measure(name: str) -> Row:
    """One model: from_torch, torch's params, torchinfo's and fvcore's counts, and the config's costs."""
    import torch
    import torchinfo
    from fvcore.nn import FlopCountAnalysis, parameter_count

    from dsc_cost import from_torch
    from dsc_cost.spec import cost_specs, load_files

    net = model(name)
    result = from_torch(net, INPUT)
    stats = torchinfo.summary(net, input_size=INPUT, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = FlopCountAnalysis(net, torch.zeros(INPUT))
        analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
        flops = int(analysis.total())
        by_operator = analysis.by_operator()
    [config] = cost_specs(load_files([str(ROOT / "configs" / f"{name}.yaml")]))
    return Row(
        name,
        sum(p.numel() for p in net.parameters()),
        int(stats.total_params),
        int(stats.total_mult_adds),
        int(parameter_count(net)[""]),
        flops,
        int(by_operator.get("conv", 0) + by_operator.get("linear", 0)),
        result,
        config,
    )


def percent(saved: Any) -> str:
    return f"{float(saved) * 100:.2f} %"


HEADER = (
    "| model | params (torch) | params (torchinfo) | params (fvcore) | params (dsc-cost) "
    "| mult-adds (torchinfo) | flops (fvcore) | conv + linear (fvcore) | mults (dsc-cost) "
    "| as standard (dsc-cost) | saves vs standard |\n"
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def line(row: Row) -> str:
    from dsc_cost.savings import savings_vs_standard

    r = row.result
    saved = savings_vs_standard(r.total, r.standard).mults
    return (
        f"| {row.model} | {row.torch_params:,} | {row.torchinfo_params:,} | {row.fvcore_params:,} "
        f"| {r.total.params:,} | {row.torchinfo_mult_adds:,} | {row.fvcore_flops:,} | {row.fvcore_conv_linear:,} "
        f"| {r.total.mults:,} | {r.standard.mults:,} | {percent(saved)} |"
    )


def main() -> None:
    lines = [HEADER]
    for name in sys.argv[1:] or MODELS:
        lines.append(line(measure(name)))
        print(lines[-1], file=sys.stderr)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
