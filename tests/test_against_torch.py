"""Build the same layers in PyTorch and ask the counters themselves.

torch is never a dependency of dsc-cost, so by default this module is skipped where torch is not
installed, and each tool's rows where that tool is not. CI runs it in an environment of its own with
``DSC_COST_REFERENCE=1``: there a missing torch, torchvision or tool fails the run instead of skipping
it. To run it by hand: ``pip install torch torchvision torchinfo ptflops fvcore thop`` in a throwaway
environment, then ``DSC_COST_REFERENCE=1 python -m pytest tests/test_against_torch.py``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from reference_packages import need

from dsc_cost import Conv, compare
from dsc_cost.conventions import CONVENTIONS, compare_reports, network_subject, rows
from dsc_cost.spec import cost_specs, load_files, load_text

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


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


class _Chunk(nn.Module):  # type: ignore[misc]
    """x.chunk(2, dim=1), its first part: ShuffleNetV2's channel split, read as part 0."""

    def forward(self, x: Any) -> Any:
        return x.chunk(2, dim=1)[0]


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
    ("{type: split, parts: 2}", lambda: _Chunk()),
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
    _alone_against_the_tool(tool, layer, module)


def _alone_against_the_tool(tool: str, layers: str, module: Any) -> None:
    """``layers`` (a spec's flow list) and ``module()`` alone in an nn.Sequential on a 16×8×8 input: the
    tool's own (params, ops) against what dsc-cost says it reports, and the output shape against PyTorch's."""
    model = nn.Sequential(module()).eval()
    [result] = cost_specs(load_text(f"input: [16, 8, 8]\nlayers: [{layers}]\n", "one.yaml"))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert measure(tool, model, (1, 16, 8, 8)) == (ours.params, ours.ops)
    out = result.output
    assert tuple(model(torch.zeros(1, 16, 8, 8)).shape) == (1, out.channels, out.height, out.width)


class _ChannelsLast(nn.Module):  # type: ignore[misc]
    """A module applied to an N×H×W×C view of an N×C×H×W map, as ConvNeXt applies its Linear layers."""

    def __init__(self, module: Any) -> None:
        super().__init__()
        self.inner = module

    def forward(self, x: Any) -> Any:
        return self.inner(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class _Shuffle(nn.Module):  # type: ignore[misc]
    """torchvision's channel_shuffle (ShuffleNetV2), which is a function, not a module."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, x: Any) -> Any:
        shufflenetv2 = importlib.import_module("torchvision.models.shufflenetv2")
        return shufflenetv2.channel_shuffle(x, self.groups)


class _Gated(nn.Module):  # type: ignore[misc]
    """``x * gate(x)`` or ``x + gate(x)``: the gate's output, C×1×1 or C×H×W, broadcast over the map."""

    def __init__(self, gate: Any, op: str) -> None:
        super().__init__()
        self.gate, self.op = gate, op

    def forward(self, x: Any) -> Any:
        return x * self.gate(x) if self.op == "mul" else x + self.gate(x)


# More layers of issue 11, each on a 16×8×8 input: spec layers (YAML flow items) and the same in PyTorch.
MORE_LAYERS: list[tuple[str, Any]] = [
    ("{type: shuffle, groups: 4}", lambda: _Shuffle(4)),
    ("{type: batchnorm}", lambda: nn.BatchNorm2d(16)),
    ("{type: linear, out: 8, bias: true, per_position: true}", lambda: _ChannelsLast(nn.Linear(16, 8))),
    ("{type: linear, out: 8, per_position: true}", lambda: _ChannelsLast(nn.Linear(16, 8, bias=False))),
    ("{type: pool, mode: avg, output: [2, 4]}", lambda: nn.AdaptiveAvgPool2d((2, 4))),
    ("{type: pool, mode: avg, output: 1}", lambda: nn.AdaptiveAvgPool2d(1)),
    ("{type: pool, mode: max, output: [4, 4]}", lambda: nn.AdaptiveMaxPool2d((4, 4))),
    (
        "{name: g, type: pool, mode: avg, global: true}, {type: mul, inputs: [input, g]}",
        lambda: _Gated(nn.AdaptiveAvgPool2d(1), "mul"),
    ),
    (
        "{name: g, type: pool, mode: avg, global: true}, {type: add, inputs: [input, g]}",
        lambda: _Gated(nn.AdaptiveAvgPool2d(1), "add"),
    ),
    (
        "{name: g, type: activation, fn: sigmoid}, {type: mul, inputs: [input, g]}",
        lambda: _Gated(nn.Sigmoid(), "mul"),
    ),
    (
        "{name: g, type: mean}, {type: mul, inputs: [input, g]}",
        lambda: _Gated(_Mean(), "mul"),
    ),
]


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize(("layers", "module"), MORE_LAYERS)
def test_more_layers(tool: str, layers: str, module: Any) -> None:
    """Shuffle, batch-norm alone, per-position linear, adaptive pooling and broadcast products and sums:
    the tool's own count on the PyTorch module against what dsc-cost says it reports, and the shapes."""
    _alone_against_the_tool(tool, layers, module)


def test_layernorm2d_is_missed_by_ptflops_and_thop() -> None:
    """torchvision's LayerNorm2d (ConvNeXt's norm on an N×C×H×W map) subclasses nn.LayerNorm: torchinfo and
    fvcore count it as the layer-norm it is, but ptflops (pytorch_engine.py, MODULES_MAPPING[type(module)]) and
    thop (profile.py, register_hooks[type(m)]) look modules up by their exact class, so they count nothing for
    it, and thop not its 2·C params either: --as ptflops and --as thop count every layernorm as nn.LayerNorm."""
    convnext = need("torchvision.models.convnext")
    model = nn.Sequential(convnext.LayerNorm2d(16)).eval()
    [result] = cost_specs(load_text("input: [16, 8, 8]\nlayers: [{type: layernorm}]\n", "ln.yaml"))
    ours = {row.convention.tool: row.reported for row in rows(network_subject(result))}
    for tool in ("torchinfo", "fvcore", "flops"):
        assert measure(tool, model, (1, 16, 8, 8)) == (ours[tool].params, ours[tool].ops)
    # by hand: ptflops counts 1 per element of an nn.LayerNorm (16·8·8), thop 4 per element and its 2·16 params
    assert ours["ptflops"].ops == 1_024 and measure("ptflops", model, (1, 16, 8, 8)) == (32, 0)
    assert ours["thop"] == ("thop", 32, 4 * 1_024, "MACs") and measure("thop", model, (1, 16, 8, 8)) == (0, 0)


# Every config that has a torchvision model, and the builder of that model.
TORCHVISION = {
    "resnet18.yaml": "resnet18",
    "vgg16.yaml": "vgg16",
    "mobilenet_v2.yaml": "mobilenet_v2",
    "mobilenet_v3_small.yaml": "mobilenet_v3_small",
    "mobilenet_v3_large.yaml": "mobilenet_v3_large",
    "efficientnet_b0.yaml": "efficientnet_b0",
    "mnasnet1_0.yaml": "mnasnet1_0",
    "shufflenet_v2_x1_0.yaml": "shufflenet_v2_x1_0",
    "convnext_tiny.yaml": "convnext_tiny",
}
# The differences docs/counting-conventions.md explains ("torchvision's models"), where a tool sees what a spec
# does not say. ConvNeXt-Tiny's LayerNorm2d layers (test_layernorm2d_is_missed_by_ptflops_and_thop): the stem's
# on 96×56×56, the three downsampling layers' on 96×56×56, 192×28×28, 384×14×14, and the head's on 768×1×1.
CONVNEXT_LAYERNORM2D_ELEMENTS = 96 * 56 * 56 + 96 * 56 * 56 + 192 * 28 * 28 + 384 * 14 * 14 + 768
CONVNEXT_LAYERNORM2D_CHANNELS = 96 + 96 + 192 + 384 + 768
# MobileNetV2's F.adaptive_avg_pool2d on 1280×7×7, a function where the spec's pool is a module
# (test_mobilenet_v2_differences_are_the_functional_pool).
MOBILENET_V2_POOL_INPUTS = 1280 * 7 * 7
DIFFERENCES: dict[tuple[str, str], tuple[int, int]] = {
    # (params, ops) the tool reports beyond what dsc-cost says it reports (--as TOOL); every other cell is 0
    # ptflops: nothing for LayerNorm2d, not its 1 per element of an nn.LayerNorm
    ("convnext_tiny.yaml", "ptflops"): (0, -CONVNEXT_LAYERNORM2D_ELEMENTS),
    # thop: neither LayerNorm2d's 4 per element nor its 2·C params
    ("convnext_tiny.yaml", "thop"): (-2 * CONVNEXT_LAYERNORM2D_CHANNELS, -4 * CONVNEXT_LAYERNORM2D_ELEMENTS),
    # ptflops: the functional pool once per input, not twice
    ("mobilenet_v2.yaml", "ptflops"): (0, -MOBILENET_V2_POOL_INPUTS),
    # thop: nothing for the functional pool, not its inputs and outputs
    ("mobilenet_v2.yaml", "thop"): (0, -(MOBILENET_V2_POOL_INPUTS + 1280)),
}


def test_the_differences_are_the_documented_figures() -> None:
    """The figures docs/counting-conventions.md gives for the differences, from the shapes above."""
    assert (CONVNEXT_LAYERNORM2D_ELEMENTS, CONVNEXT_LAYERNORM2D_CHANNELS) == (828_672, 1_536)
    assert MOBILENET_V2_POOL_INPUTS == 62_720
    assert DIFFERENCES[("mobilenet_v2.yaml", "ptflops")] == (0, -62_720)
    assert DIFFERENCES[("mobilenet_v2.yaml", "thop")] == (0, -64_000)
    assert DIFFERENCES[("convnext_tiny.yaml", "thop")] == (-3_072, -3_314_688)


@pytest.fixture(scope="module")
def torchvision_models() -> dict[str, Any]:
    """Each torchvision model of TORCHVISION, built once (no weights), in eval mode."""
    torchvision = need("torchvision")
    return {config: getattr(torchvision.models, name)(weights=None).eval() for config, name in TORCHVISION.items()}


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("config", TORCHVISION)
def test_torchvision_config(tool: str, config: str, torchvision_models: dict[str, Any]) -> None:
    """Each tool on torchvision's model against what dsc-cost says it reports for the config (--as TOOL): equal
    params and ops, but for the differences of DIFFERENCES (docs/counting-conventions.md, "torchvision's models")."""
    params, ops = measure(tool, torchvision_models[config], (1, 3, 224, 224))
    our_params, our_ops = reported(config, tool)
    more_params, more_ops = DIFFERENCES.get((config, tool), (0, 0))
    assert (params, ops) == (our_params + more_params, our_ops + more_ops)


@pytest.mark.parametrize("tool", TOOLS)
def test_mobilenet_v2_differences_are_the_functional_pool(tool: str) -> None:
    """torchvision's MobileNetV2 pooled by the module nn.AdaptiveAvgPool2d instead of F.adaptive_avg_pool2d:
    every tool reports what dsc-cost says it reports for configs/mobilenet_v2.yaml, so DIFFERENCES' two rows for
    it are that pool and nothing else."""
    torchvision = need("torchvision")
    model = torchvision.models.mobilenet_v2(weights=None)
    model = nn.Sequential(model.features, nn.AdaptiveAvgPool2d(1), nn.Flatten(), model.classifier).eval()
    assert measure(tool, model, (1, 3, 224, 224)) == reported("mobilenet_v2.yaml", tool)


@pytest.mark.parametrize("config", TORCHVISION)
def test_torchvision_config_params_and_fvcore_mults(config: str, torchvision_models: dict[str, Any]) -> None:
    """The config's own totals: torchvision's sum(p.numel()) and fvcore's conv + linear count."""
    fvcore_nn = need("fvcore.nn")
    model = torchvision_models[config]
    analysis = fvcore_nn.FlopCountAnalysis(model, torch.zeros(1, 3, 224, 224))
    analysis.unsupported_ops_warnings(False)
    analysis.uncalled_modules_warnings(False)
    by_operator = analysis.by_operator()
    conv_linear = sum(by_operator.get(op, 0) for op in ("conv", "linear", "addmm", "matmul", "bmm"))
    [ours] = cost_specs(load_files([str(CONFIGS / config)]))
    assert ours.total.params == sum(p.numel() for p in model.parameters())
    assert ours.total.mults == conv_linear


class _Decoder(nn.Module):  # type: ignore[misc]
    """tests/data/decoder.yaml in PyTorch: an adaptive pool branch brought back and concatenated, a transposed
    conv, group-norm and a classifier, upsampled bilinearly."""

    def __init__(self) -> None:
        super().__init__()
        self.pyramid = nn.AdaptiveAvgPool2d(2)
        self.reduce = nn.Sequential(nn.Conv2d(64, 16, 1, bias=False), nn.BatchNorm2d(16))
        self.back = nn.Upsample(size=(14, 14), mode="bilinear")
        self.head = nn.Sequential(
            nn.ConvTranspose2d(80, 32, 4, 2, 1, bias=False),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.GroupNorm(8, 32),
            nn.Conv2d(32, 21, 1),
            nn.Upsample(scale_factor=4, mode="bilinear"),
        )

    def forward(self, x: Any) -> Any:
        return self.head(torch.cat([x, self.back(self.reduce(self.pyramid(x)))], 1))


def _convnext_block() -> Any:
    convnext = need("torchvision.models.convnext")
    return convnext.CNBlock(96, layer_scale=1e-6, stochastic_depth_prob=0.0)


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize(
    ("file", "module", "shape"),
    [("convnext_block.yaml", _convnext_block, (1, 96, 56, 56)), ("decoder.yaml", _Decoder, (1, 64, 14, 14))],
)
def test_spec_format_examples(tool: str, file: str, module: Any, shape: tuple[int, ...]) -> None:
    """The two examples of docs/spec-format.md (torchvision's own CNBlock for the ConvNeXt block), each tool's
    count against what dsc-cost says it reports."""
    model = nn.Sequential(module()).eval()
    [result] = cost_specs(load_files([str(CONFIGS.parent / "tests" / "data" / file)]))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert measure(tool, model, shape) == (ours.params, ours.ops)
    out = result.output
    assert tuple(model(torch.zeros(shape)).shape) == (1, out.channels, out.height, out.width)


ND_LAYERS: list[tuple[str, Any]] = [
    ("{type: conv, out: 8, kernel: 3, padding: 1, bias: true}", lambda d: CONV[d](16, 8, 3, padding=1)),
    ("{type: conv, out: 8, kernel: 3, stride: 2, groups: 4}", lambda d: CONV[d](16, 8, 3, 2, groups=4, bias=False)),
    (
        "{type: separable, out: 8, kernel: 3, padding: 1, batchnorm: true}",
        lambda d: nn.Sequential(
            CONV[d](16, 16, 3, padding=1, groups=16, bias=False), NORM[d](16), CONV[d](16, 8, 1, bias=False), NORM[d](8)
        ),
    ),
    (
        "{type: depthwise, kernel: 3, dilation: 2, multiplier: 2}",
        lambda d: CONV[d](16, 32, 3, dilation=2, groups=16, bias=False),
    ),
    ("{type: pointwise, out: 8, stride: 2}", lambda d: CONV[d](16, 8, 1, 2, bias=False)),
    (
        "{type: convtranspose, out: 8, kernel: 4, stride: 2, padding: 1, bias: true}",
        lambda d: TRANSPOSED[d](16, 8, 4, 2, 1),
    ),
    ("{type: pool, kernel: 3, stride: 2, ceil_mode: true}", lambda d: MAX_POOL[d](3, 2, ceil_mode=True)),
    ("{type: pool, mode: avg, kernel: 2}", lambda d: AVG_POOL[d](2)),
    ("{type: pool, mode: avg, global: true}", lambda d: ADAPTIVE_AVG[d](1)),
    ("{type: pool, mode: avg, output: 3}", lambda d: ADAPTIVE_AVG[d](3)),
    ("{type: upsample, scale: 2}", lambda d: nn.Upsample(scale_factor=2, mode="nearest")),
    ("{type: batchnorm}", lambda d: NORM[d](16)),
    ("{type: groupnorm, groups: 4}", lambda d: nn.GroupNorm(4, 16)),
    ("{type: activation, fn: relu}", lambda d: nn.ReLU()),
    ("{type: linear, out: 10, bias: true}", lambda d: nn.Sequential(nn.Flatten(), nn.Linear(16 * 8**d, 10))),
]
CONV = {1: nn.Conv1d, 3: nn.Conv3d}
TRANSPOSED = {1: nn.ConvTranspose1d, 3: nn.ConvTranspose3d}
NORM = {1: nn.BatchNorm1d, 3: nn.BatchNorm3d}
MAX_POOL = {1: nn.MaxPool1d, 3: nn.MaxPool3d}
AVG_POOL = {1: nn.AvgPool1d, 3: nn.AvgPool3d}
ADAPTIVE_AVG = {1: nn.AdaptiveAvgPool1d, 3: nn.AdaptiveAvgPool3d}


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("dims", [1, 3])
@pytest.mark.parametrize(("layer", "module"), ND_LAYERS)
def test_one_layer_in_1d_and_3d(tool: str, dims: int, layer: str, module: Any) -> None:
    """One layer on a 16×8 (1-D) or 16×8×8×8 (3-D) input, in PyTorch's Conv1d, Conv3d, ...: the tool's own
    count against what dsc-cost says it reports, and the output shape against PyTorch's."""
    model = nn.Sequential(module(dims)).eval()
    shape = (16, *[8] * dims)
    [result] = cost_specs(load_text(f"input: {list(shape)}\nlayers: [{layer}]\n", "one.yaml"))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert measure(tool, model, (1, *shape)) == (ours.params, ours.ops)
    out = model(torch.zeros(1, *shape))
    assert tuple(out.shape[1:]) == tuple(result.output) or layer.startswith("{type: linear")


def kws_ds_cnn_1d() -> Any:
    """configs/kws_ds_cnn_1d.yaml in PyTorch."""
    layers = [nn.Conv1d(40, 64, 10, 2, 4, bias=False), nn.BatchNorm1d(64), nn.ReLU()]
    for _ in range(4):
        layers += [nn.Conv1d(64, 64, 3, padding=1, groups=64, bias=False), nn.BatchNorm1d(64)]
        layers += [nn.Conv1d(64, 64, 1, bias=False), nn.BatchNorm1d(64)]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(64, 12)).eval()


@pytest.mark.parametrize("tool", TOOLS)
def test_kws_ds_cnn_1d(tool: str) -> None:
    assert measure(tool, kws_ds_cnn_1d(), (1, 40, 98)) == reported("kws_ds_cnn_1d.yaml", tool)


def video_3d() -> Any:
    """tests/data/video_3d.yaml in PyTorch."""
    return nn.Sequential(
        nn.Conv3d(3, 32, (3, 7, 7), (1, 2, 2), (1, 3, 3), bias=False),
        nn.Conv3d(32, 32, 3, padding=1, groups=32, bias=False),
        nn.Conv3d(32, 64, 1, bias=False),
        nn.Conv3d(64, 64, 3, padding=1, groups=64, bias=False),
        nn.Conv3d(64, 64, 1, bias=False),
        nn.AdaptiveAvgPool3d(1),
        nn.Flatten(),
        nn.Linear(64, 10),
    ).eval()


@pytest.mark.parametrize("tool", TOOLS)
def test_video_3d(tool: str) -> None:
    [result] = cost_specs(load_files([str(CONFIGS.parent / "tests" / "data" / "video_3d.yaml")]))
    [ours] = [row.reported for row in rows(network_subject(result)) if row.convention.tool == tool]
    assert measure(tool, video_3d(), (1, 3, 16, 112, 112)) == (ours.params, ours.ops)


@pytest.mark.parametrize(
    ("config", "width"),
    [
        ("mobilenet_v2.yaml", "0.5"),
        ("mobilenet_v2.yaml", "0.75"),
        ("mobilenet_v2.yaml", "0.35"),
        ("mobilenet_v3_large.yaml", "0.75"),
        ("mobilenet_v3_small.yaml", "0.5"),
        ("efficientnet_b0.yaml", "0.5"),
    ],
)
def test_width_multipliers_are_torchvisions(config: str, width: str) -> None:
    """`sweep --divisor 8` at a width: torchvision's model built with that width_mult, its params and fvcore's
    conv + linear count."""
    from fractions import Fraction

    from dsc_cost.network import cost_network
    from dsc_cost.spec import scaled_network

    torchvision = need("torchvision")
    fvcore = need("fvcore.nn")
    if config.startswith("efficientnet"):
        from torchvision.models import efficientnet

        settings, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=float(width), depth_mult=1.0)
        model = efficientnet.EfficientNet(settings, 0.2, last_channel=last)
    else:
        model = getattr(torchvision.models, config.removesuffix(".yaml"))(width_mult=float(width))
    model.eval()
    counts = fvcore.FlopCountAnalysis(model, torch.zeros(1, 3, 224, 224))
    counts.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    by_operator = counts.by_operator()
    [spec] = load_files([str(CONFIGS / config)])
    ours = cost_network(scaled_network(spec, Fraction(width), 8))
    assert ours.total.params == sum(p.numel() for p in model.parameters())
    assert ours.total.mults == by_operator.get("conv", 0) + by_operator.get("linear", 0)


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
