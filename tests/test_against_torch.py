"""Optional: build the same layers in PyTorch and ask the counters themselves.

Skipped where torch is not installed (it is never a dependency of dsc-cost); each tool's rows
are skipped where that tool is not installed. Install torch and the tools in a throwaway
environment to run them: ``pip install torch torchinfo ptflops fvcore thop``.
"""

from __future__ import annotations

from typing import Any

import pytest

from dsc_cost import Conv, compare
from dsc_cost.conventions import CONVENTIONS, compare_reports, network_subject, rows
from dsc_cost.spec import cost_specs, load_files

torch = pytest.importorskip("torch")
nn = torch.nn


def mobilenet_v1() -> Any:
    """configs/mobilenet_v1.yaml in PyTorch: padding 1 on the 3×3 convs, no bias but the classifier's."""

    def block(c: int, o: int, s: int) -> list[Any]:
        return [nn.Conv2d(c, c, 3, s, 1, groups=c, bias=False), nn.Conv2d(c, o, 1, bias=False)]

    layers = [nn.Conv2d(3, 32, 3, 2, 1, bias=False)]
    plan = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)]
    for c, o, s in [*plan, *[(512, 512, 1)] * 5, (512, 1024, 2), (1024, 1024, 1)]:
        layers += block(c, o, s)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1024, 1000)).eval()


def seed_block() -> Any:
    return nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.Conv2d(16, 32, 1)).eval()


def measure(tool: str, model: Any, shape: tuple[int, ...]) -> tuple[int, int]:
    """(params, ops) as ``tool`` reports them for ``model`` on an input of ``shape``."""
    if tool == "torchinfo":
        torchinfo = pytest.importorskip("torchinfo")
        stats = torchinfo.summary(model, input_size=shape, verbose=0)
        return int(stats.total_params), int(stats.total_mult_adds)
    if tool == "ptflops":
        ptflops = pytest.importorskip("ptflops")
        macs, params = ptflops.get_model_complexity_info(
            model, shape[1:], as_strings=False, print_per_layer_stat=False, verbose=False
        )
        return int(params), int(macs)
    if tool == "fvcore":
        fvcore_nn = pytest.importorskip("fvcore.nn")
        analysis = fvcore_nn.FlopCountAnalysis(model, torch.zeros(shape))
        analysis.unsupported_ops_warnings(False)
        return int(fvcore_nn.parameter_count(model)[""]), int(analysis.total())
    if tool == "thop":
        thop = pytest.importorskip("thop")
        ops, params = thop.profile(model, inputs=(torch.zeros(shape),), verbose=False)
        return int(params), int(ops)
    flop_counter = pytest.importorskip("torch.utils.flop_counter")
    with flop_counter.FlopCounterMode(display=False) as counter:
        model(torch.zeros(shape))
    return sum(p.numel() for p in model.parameters()), int(counter.get_total_flops())


TOOLS = ["torchinfo", "ptflops", "fvcore", "thop", "flops"]


@pytest.mark.parametrize("tool", TOOLS)
def test_seed_block(tool: str) -> None:
    ours = compare_reports(compare(Conv(16, 32, (3, 3), padding=(1, 1), bias="both"), 128, 128), CONVENTIONS[tool])
    assert measure(tool, seed_block(), (1, 16, 128, 128)) == (ours["separable"].params, ours["separable"].ops)


@pytest.mark.parametrize("tool", TOOLS)
def test_mobilenet_v1(tool: str) -> None:
    [result] = cost_specs(load_files(["configs/mobilenet_v1.yaml"]))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert measure(tool, mobilenet_v1(), (1, 3, 224, 224)) == (ours.params, ours.ops)
