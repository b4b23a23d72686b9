"""Build the same layers in PyTorch and ask the counters themselves.

torch is never a dependency of dsc-cost, so by default this module is skipped where torch is not
installed, and each tool's rows where that tool is not. CI runs it in an environment of its own with
``DSC_COST_REFERENCE=1``: there a missing torch, torchvision or tool fails the run instead of skipping
it. To run it by hand: ``pip install torch torchvision torchinfo ptflops fvcore thop`` in a throwaway
environment, then ``DSC_COST_REFERENCE=1 python -m pytest tests/test_against_torch.py``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dsc_cost import Conv, compare
from dsc_cost.conventions import CONVENTIONS, compare_reports, network_subject, rows
from dsc_cost.spec import cost_specs, load_files, load_text

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
REQUIRED = os.environ.get("DSC_COST_REFERENCE", "") not in ("", "0")
"""Set (DSC_COST_REFERENCE=1): every missing package is a failure, not a skip."""


def need(name: str) -> ModuleType:
    """The module ``name``; where it cannot be imported, skip the test, or fail it under DSC_COST_REFERENCE."""
    try:
        return importlib.import_module(name)
    except Exception as error:  # ImportError, or a broken build (torchvision beside a mismatched torch)
        if REQUIRED:
            pytest.fail(f"DSC_COST_REFERENCE is set but {name} cannot be imported: {error!r}", pytrace=False)
        pytest.skip(f"{name} cannot be imported: {error!r}", allow_module_level=True)


torch = need("torch")
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
        torchinfo = need("torchinfo")
        stats = torchinfo.summary(model, input_size=shape, verbose=0)
        return int(stats.total_params), int(stats.total_mult_adds)
    if tool == "ptflops":
        ptflops = need("ptflops")
        macs, params = ptflops.get_model_complexity_info(
            model, shape[1:], as_strings=False, print_per_layer_stat=False, verbose=False
        )
        return int(params), int(macs)
    if tool == "fvcore":
        fvcore_nn = need("fvcore.nn")
        analysis = fvcore_nn.FlopCountAnalysis(model, torch.zeros(shape))
        analysis.unsupported_ops_warnings(False)
        return int(fvcore_nn.parameter_count(model)[""]), int(analysis.total())
    if tool == "thop":
        thop = need("thop")
        ops, params = thop.profile(model, inputs=(torch.zeros(shape),), verbose=False)
        return int(params), int(ops)
    flop_counter = need("torch.utils.flop_counter")
    with flop_counter.FlopCounterMode(display=False) as counter:
        model(torch.zeros(shape))
    return sum(p.numel() for p in model.parameters()), int(counter.get_total_flops())


TOOLS = ["torchinfo", "ptflops", "fvcore", "thop", "flops"]


def reported(config: str, tool: str) -> tuple[int, int]:
    """(params, ops) that dsc-cost says ``tool`` reports for ``configs/<config>``."""
    [result] = cost_specs(load_files([str(CONFIGS / config)]))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert ours.ops is not None
    return ours.params, ours.ops


@pytest.mark.parametrize("tool", TOOLS)
def test_seed_block(tool: str) -> None:
    ours = compare_reports(compare(Conv(16, 32, (3, 3), padding=(1, 1), bias="both"), 128, 128), CONVENTIONS[tool])
    assert measure(tool, seed_block(), (1, 16, 128, 128)) == (ours["separable"].params, ours["separable"].ops)


@pytest.mark.parametrize("tool", TOOLS)
def test_mobilenet_v1(tool: str) -> None:
    assert measure(tool, mobilenet_v1(), (1, 3, 224, 224)) == reported("mobilenet_v1.yaml", tool)


# torchvision's MobileNet V2 model card (MobileNet_V2_Weights.IMAGENET1K_V1.meta["num_params"]):
# 3,504,872 params, batch-norm's weight and bias included.
TORCHVISION_MOBILENET_V2_PARAMS = 3_504_872


def test_torchvision_mobilenet_v2_params() -> None:
    """configs/mobilenet_v2.yaml has exactly the params of torchvision's own model (built, no weights)."""
    torchvision = need("torchvision")
    torchinfo = need("torchinfo")
    model = torchvision.models.mobilenet_v2(weights=None).eval()
    meta = torchvision.models.MobileNet_V2_Weights.IMAGENET1K_V1.meta["num_params"]
    counted = sum(p.numel() for p in model.parameters())
    summary = torchinfo.summary(model, input_size=(1, 3, 224, 224), verbose=0)
    [ours] = cost_specs(load_files([str(CONFIGS / "mobilenet_v2.yaml")]))
    assert meta == counted == summary.total_params == TORCHVISION_MOBILENET_V2_PARAMS
    assert ours.total.params == TORCHVISION_MOBILENET_V2_PARAMS


@pytest.mark.parametrize("tool", TOOLS)
def test_torchvision_mobilenet_v2(tool: str) -> None:
    """Each tool on torchvision's model against what dsc-cost says it reports for configs/mobilenet_v2.yaml.

    The spec lists no activations, and torchvision pools with ``F.adaptive_avg_pool2d`` (a function,
    not a module), so the tools that count activations or hook pooling modules see a different model
    from the spec's: thop misses the pool, whose inputs and outputs it counts on a module
    (1280·7·7 + 1280 = 64,000); ptflops also counts every ReLU6 output, so only its params are compared.
    """
    torchvision = need("torchvision")
    model = torchvision.models.mobilenet_v2(weights=None).eval()
    params, ops = measure(tool, model, (1, 3, 224, 224))
    our_params, our_ops = reported("mobilenet_v2.yaml", tool)
    assert params == our_params == TORCHVISION_MOBILENET_V2_PARAMS
    if tool == "thop":
        assert ops == our_ops - (1280 * 7 * 7 + 1280)
    elif tool != "ptflops":
        assert ops == our_ops


class _Permuted(nn.Module):  # type: ignore[misc]
    """nn.LayerNorm over the channels of an N×C×H×W map, as ConvNeXt's blocks apply it."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(channels)

    def forward(self, x: Any) -> Any:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class _Scale(nn.Module):  # type: ignore[misc]
    """A learnable scale per channel, as ConvNeXt's layer scale."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.layer_scale = nn.Parameter(torch.ones(channels, 1, 1))

    def forward(self, x: Any) -> Any:
        return self.layer_scale * x


class _Mean(nn.Module):  # type: ignore[misc]
    def forward(self, x: Any) -> Any:
        return x.mean([2, 3], keepdim=True)


NEW_LAYERS: list[tuple[str, Any]] = [
    ("{type: activation, fn: relu}", lambda: nn.ReLU()),
    ("{type: activation, fn: relu6}", lambda: nn.ReLU6()),
    ("{type: activation, fn: hardswish}", lambda: nn.Hardswish()),
    ("{type: activation, fn: hardsigmoid}", lambda: nn.Hardsigmoid()),
    ("{type: activation, fn: sigmoid}", lambda: nn.Sigmoid()),
    ("{type: activation, fn: silu}", lambda: nn.SiLU()),
    ("{type: activation, fn: gelu}", lambda: nn.GELU()),
    ("{type: activation, fn: tanh}", lambda: nn.Tanh()),
    ("{type: layernorm}", lambda: _Permuted(16)),
    ("{type: groupnorm, groups: 4}", lambda: nn.GroupNorm(4, 16)),
    ("{type: scale}", lambda: _Scale(16)),
    ("{type: mean}", lambda: _Mean()),
    ("{type: upsample, scale: 2}", lambda: nn.Upsample(scale_factor=2, mode="nearest")),
    ("{type: upsample, scale: 2, mode: bilinear}", lambda: nn.Upsample(scale_factor=2, mode="bilinear")),
    ("{type: upsample, size: [16, 24]}", lambda: nn.Upsample(size=(16, 24), mode="nearest")),
    (
        "{type: convtranspose, out: 8, kernel: 4, stride: 2, padding: 1, bias: true}",
        lambda: nn.ConvTranspose2d(16, 8, 4, 2, 1, bias=True),
    ),
    (
        "{type: convtranspose, out: 8, kernel: 3, stride: 2, padding: 1, output_padding: 1, groups: 2}",
        lambda: nn.ConvTranspose2d(16, 8, 3, 2, 1, output_padding=1, groups=2, bias=False),
    ),
    ("{type: convtranspose, out: 8, kernel: 1, padding: 1}", lambda: nn.ConvTranspose2d(16, 8, 1, 1, 1, bias=False)),
    ("{type: pool, kernel: 3, stride: 2, ceil_mode: true}", lambda: nn.MaxPool2d(3, 2, ceil_mode=True)),
]


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize(("layer", "module"), NEW_LAYERS)
def test_one_new_layer(tool: str, layer: str, module: Any) -> None:
    """One layer of each new kind on a 16×8×8 input, alone in an nn.Sequential: the tool's own count against
    what dsc-cost says it reports, and the output shape against PyTorch's."""
    model = nn.Sequential(module()).eval()
    [result] = cost_specs(load_text(f"input: [16, 8, 8]\nlayers: [{layer}]\n", "one.yaml"))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert measure(tool, model, (1, 16, 8, 8)) == (ours.params, ours.ops)
    out = result.output
    assert tuple(model(torch.zeros(1, 16, 8, 8)).shape) == (1, out.channels, out.height, out.width)


@pytest.mark.parametrize(("config", "model"), [("mobilenet_v2.yaml", "mobilenet_v2"), ("resnet18.yaml", "resnet18")])
def test_torchinfo_memory_lines(config: str, model: str) -> None:
    """--as torchinfo's memory lines are torchinfo's own, byte for byte, for torchvision's models."""
    from dsc_cost.conventions import torchinfo_memory

    torchvision = need("torchvision")
    torchinfo = need("torchinfo")
    stats = torchinfo.summary(getattr(torchvision.models, model)(weights=None).eval(), (1, 3, 224, 224), verbose=0)
    [result] = cost_specs(load_files([str(CONFIGS / config)]))
    ours = torchinfo_memory(result)
    assert (ours.input_bytes, ours.forward_backward_bytes, ours.params_bytes) == (
        stats.total_input,
        stats.total_output_bytes,
        stats.total_param_bytes,
    )
    assert [line for line in str(stats).splitlines() if "(MB)" in line] == ours.lines()
