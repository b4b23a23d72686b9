"""Each tool's rules, pinned on the numbers the tools themselves printed (torch 2.13.0, CPU, eval mode,
torchinfo 1.8.0, ptflops 0.7.5 with its default pytorch backend, fvcore 0.1.5.post20221221,
thop 0.1.1.post2209072238; Keras 3 for count_params), and the counts behind them worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dsc_cost import Conv, compare
from dsc_cost.cli import main
from dsc_cost.conventions import CONVENTIONS, TOOLS, compare_reports, network_subject, report, rows
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers.convtranspose import ConvTransposeLayer
from dsc_cost.network import (
    ConvLayer,
    Elements,
    LinearLayer,
    Network,
    Node,
    PoolLayer,
    SeparableLayer,
    cost_network,
)
from dsc_cost.spec import cost_specs, load_files, load_text

# The seed block: depthwise 3×3 (16 channels, bias) + pointwise 16 → 32 (bias) on 1×16×128×128.
# dsc-cost: 10,747,904 mults; the biases touch 16·128·128 + 32·128·128 = 786,432 output elements.
SEED_BLOCK = compare(Conv(16, 32, (3, 3), padding=(1, 1), bias="both"), 128, 128)


@pytest.mark.parametrize(
    ("tool", "params", "ops", "unit"),
    [
        ("torchinfo", 704, 11_534_336, "MACs"),  # 10,747,904 + 786,432
        ("ptflops", 704, 11_534_336, "MACs"),
        ("fvcore", 704, 10_747_904, "MACs"),  # bias ignored
        ("thop", 704, 10_747_904, "MACs"),
        ("keras", 704, None, "MACs"),  # parameters only
        ("flops", 704, 21_495_808, "FLOPs"),  # 2 × 10,747,904, bias ignored
    ],
)
def test_seed_block(tool: str, params: int, ops: int | None, unit: str) -> None:
    reported = compare_reports(SEED_BLOCK, CONVENTIONS[tool])["separable"]
    assert (reported.params, reported.ops, reported.unit) == (params, ops, unit)


@pytest.mark.parametrize(
    ("tool", "ops"),
    [
        ("torchinfo", 46_137_344),  # 4 × 11,534,336
        ("ptflops", 11_534_336),  # one sample, whatever the batch
        ("fvcore", 42_991_616),  # 4 × 10,747,904
        ("thop", 42_991_616),
        ("flops", 85_983_232),  # 2 × 4 × 10,747,904
    ],
)
def test_seed_block_batch_4(tool: str, ops: int) -> None:
    batched = compare(Conv(16, 32, (3, 3), padding=(1, 1), bias="both"), 128, 128, batch=4)
    assert compare_reports(batched, CONVENTIONS[tool])["separable"].ops == ops


@pytest.mark.parametrize(
    ("tool", "params", "ops"),
    [
        # Linear(1024, 1000) with bias: 1,024,000 weights + 1,000 biases
        ("torchinfo", 1_025_000, 1_025_000),  # every parameter once per sample
        ("ptflops", 1_025_000, 1_025_000),
        ("fvcore", 1_025_000, 1_024_000),
        ("thop", 1_025_000, 1_024_000),  # thop 0.1.1 itself says 0 params for a model that is one bare module
        ("keras", 1_025_000, None),
        ("flops", 1_025_000, 2_048_000),
    ],
)
def test_biased_linear(tool: str, params: int, ops: int | None) -> None:
    network = Network("fc", Shape(1024, 1, 1), (Node("fc", "linear", LinearLayer(1000, bias=True)),))
    [reported] = [row.reported for row in rows(network_subject(cost_network(network))) if row.convention.tool == tool]
    assert (reported.params, reported.ops) == (params, ops)


MOBILENET_OPS = {
    # configs/mobilenet_v1.yaml: 568,740,352 mults; the classifier's bias touches 1,000 outputs; the global
    # average pool reads 1024·7·7 = 50,176 elements and writes 1,024.
    "torchinfo": (568_741_352, 1_137_482_704),  # + 1,000 per sample
    "ptflops": (568_841_704, 568_841_704),  # + 1,000 + 2 · 50,176, one sample only
    "fvcore": (568_790_528, 1_137_581_056),  # + 50,176 per sample
    "thop": (568_791_552, 1_137_583_104),  # + 50,176 + 1,024 per sample
    "flops": (1_137_480_704, 2_274_961_408),
}


@pytest.mark.parametrize("tool", sorted(MOBILENET_OPS))
def test_mobilenet_v1(tool: str) -> None:
    [one] = cost_specs(load_files(["configs/mobilenet_v1.yaml"]))
    [two] = cost_specs(load_files(["configs/mobilenet_v1.yaml"]), batch=2)
    ops = tuple(
        next(r.reported.ops for r in rows(network_subject(result)) if r.convention.tool == tool)
        for result in (one, two)
    )
    assert ops == MOBILENET_OPS[tool]
    assert next(r.reported.params for r in rows(network_subject(one)) if r.convention.tool == tool) == 4_210_088


def test_batchnorm_per_tool() -> None:
    # Conv2d(16, 32, 3, padding=1, bias=False) + BatchNorm2d(32), eval, on 1×16×128×128:
    # conv 75,497,472 mults; BN normalizes 32·128·128 = 524,288 elements of 32 channels.
    conv = ConvLayer(32, (3, 3), padding=(1, 1), batchnorm=True)
    result = cost_network(Network("conv+bn", Shape(16, 128, 128), (Node("c", "conv", conv),)))
    assert (result.total.params, result.bn_params) == (4_608 + 64, 64)
    reported = {row.convention.tool: row.reported for row in rows(network_subject(result))}
    assert reported["torchinfo"].ops == 75_497_472 + 64  # 2 per channel
    assert reported["ptflops"].ops == 75_497_472 + 1_048_576  # 2 per element
    assert reported["fvcore"].ops == 75_497_472 + 1_048_576
    assert reported["thop"].ops == 75_497_472 + 2_097_152  # 4 per element
    assert reported["flops"].ops == 2 * 75_497_472
    assert reported["keras"].params == 4_608 + 128  # moving mean and variance counted too
    assert all(reported[tool].params == 4_672 for tool in ("torchinfo", "ptflops", "fvcore", "thop", "flops"))


@pytest.mark.parametrize(
    ("layer", "ptflops", "fvcore", "thop"),
    [
        # on 1×32×16×16 (8,192 elements): MaxPool2d(2), AvgPool2d(2) → 32×8×8 (2,048), AdaptiveAvgPool2d(1) → 32
        (PoolLayer("max", (2, 2)), 16_384, 0, 0),
        (PoolLayer("avg", (2, 2)), 16_384, 0, 2_048),
        (PoolLayer("avg", global_=True), 16_384, 8_192, 8_224),
    ],
)
def test_pools(layer: PoolLayer, ptflops: int, fvcore: int, thop: int) -> None:
    result = cost_network(Network("pool", Shape(32, 16, 16), (Node("p", "pool", layer),)))
    reported = {row.convention.tool: row.reported.ops for row in rows(network_subject(result))}
    assert (reported["ptflops"], reported["fvcore"], reported["thop"]) == (ptflops, fvcore, thop)
    assert reported["torchinfo"] == reported["flops"] == 0


def test_separable_batchnorm_after_each_step_and_keras_params() -> None:
    # SeparableConv2D(32, 3, use_bias=True) on 16 channels: Keras counts 9·16 + 16·32 + 32 = 688
    layer = SeparableLayer(32, (3, 3), padding=(1, 1), bias=True)
    result = cost_network(Network("s", Shape(16, 8, 8), (Node("s", "separable", layer),)))
    assert result.total.params == 688
    with_bn = SeparableLayer(32, (3, 3), padding=(1, 1), bias=True, batchnorm=True)
    result = cost_network(Network("s", Shape(16, 8, 8), (Node("s", "separable", with_bn),)))
    assert result.bn_params == 2 * 16 + 2 * 32  # after the depthwise and after the pointwise step
    assert result.layers[0].standard.params == 4_608 + 32 + 2 * 32  # as a full conv: one batch-norm
    keras = next(r.reported for r in rows(network_subject(result)) if r.convention.tool == "keras")
    assert keras.params == 688 + 2 * 96


def test_report_is_linear_in_elements() -> None:
    elements = Elements(biased_outputs=10, bn_elements=100, bn_channels=4, global_avg_inputs=50)
    assert report(CONVENTIONS["thop"], 5, 1_000, 8, elements, 1).ops == 1_000 + 4 * 100 + 50
    assert report(CONVENTIONS["ptflops"], 5, 2_000, 8, elements, 2).ops == 1_000 + 10 + 2 * 100 + 2 * 50
    assert TOOLS == ("torchinfo", "ptflops", "fvcore", "thop", "keras", "flops")
    from dsc_cost import cli

    assert cli.TOOLS == TOOLS == tuple(CONVENTIONS)


def test_cli_conventions_shows_the_issue_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["conventions", "-c", "16", "-o", "32", "-k", "3", "--size", "128", "--padding", "1", "--bias", "both"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "separable: depthwise 3×3 + pointwise 1×1"
    row = {line.split("  ")[0]: line for line in lines[4:11]}
    assert "11,534,336" in row["torchinfo 1.8"] and "+1 per output element per bias (+786,432)" in row["torchinfo 1.8"]
    assert "11,534,336" in row["ptflops 0.7.5"]
    assert "10,747,904" in row["fvcore 0.1.5"] and "the same" in row["fvcore 0.1.5"]
    assert "21,495,808" in row["FLOPs (2 × MACs)"]
    assert row["Keras count_params"].split()[2] == "704"
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    tools = {t["tool"]: t for t in doc["conventions"][0]["tools"]}
    assert tools["thop"]["ops"] == 10_747_904 and tools["keras"]["ops"] is None
    assert doc["conventions"][1]["name"] == "standard 3×3 conv"


def test_cli_as_in_network_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "configs/mobilenet_v1.yaml", "--as", "fvcore", "--format", "json"]) == 0
    network = json.loads(capsys.readouterr().out)["networks"][0]
    assert network["totals"]["as"] == {"tool": "fvcore", "params": 4_210_088, "ops": 568_790_528, "unit": "MACs"}
    assert network["layers"][-2]["as"]["ops"] == 50_176  # the global pool
    assert network["layers"][-1]["as"]["ops"] == 1_024_000  # the classifier, bias ignored
    assert main(["network", "configs/mobilenet_v1.yaml", "--as", "keras", "--format", "csv"]) == 0
    last = capsys.readouterr().out.splitlines()[-1].split(",")
    assert last[-4:] == ["keras", "1025000", "", "MACs"]


def test_cli_as_in_compare(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compare", "-c", "16", "-o", "32", "--size", "128", "--padding", "1", "--bias", "both", "--as", "torchinfo"]
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["separable"]["as"] == {"tool": "torchinfo", "params": 704, "ops": 11_534_336, "unit": "MACs"}
    assert doc["separable"]["depthwise"]["as"]["ops"] == 2_359_296 + 16 * 128 * 128
    assert doc["standard"]["as"]["ops"] == 75_497_472 + 32 * 128 * 128
    assert main([*argv, "--exact"]) == 0
    assert "torchinfo MACs" in capsys.readouterr().out


def test_cli_conventions_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conventions"]) == 2
    assert "Error: Missing option '--in-channels' / '-c'." in capsys.readouterr().err
    assert main(["conventions", "configs/mobilenet_v1.yaml", "-c", "3"]) == 2
    assert "give spec files or a convolution's options, not both" in capsys.readouterr().err
    assert main(["compare", "-c", "3", "-o", "4", "--size", "6", "--as", "tensorflow"]) == 2
    assert "Error: Invalid value for '--as': 'tensorflow' is not one of" in capsys.readouterr().err


DECODER = """\
name: decoder
input: [64, 16, 16]
layers:
  - {name: up, type: convtranspose, out: 32, kernel: 4, stride: 2, padding: 1, bias: true}
  - {type: activation, fn: relu}
  - {name: head, type: pointwise, out: 8}
  - {type: upsample, scale: 2, mode: bilinear}
"""


def test_a_decoder_in_every_convention(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "decoder.yaml"
    spec.write_text(DECODER)
    [result] = cost_specs(load_files([str(spec)]))
    # up: 32,768 weights + 32 biases; 16·16 input positions × 32,768 = 8,388,608 mults; output 32×32×32 (32,768)
    # head: 32·8 = 256 weights × 1,024 positions = 262,144 mults; upsample: 8×64×64 = 32,768 outputs
    assert (result.total.params, result.total.mults) == (32_800 + 256, 8_388_608 + 262_144)
    # other operations: relu 32,768; bilinear 4 per output, 131,072
    assert result.other_ops == 32_768 + 131_072
    mults = 8_388_608 + 262_144
    found = {row.convention.tool: row.reported.ops for row in rows(network_subject(result))}
    assert found == {
        "torchinfo": mults + 32_768 * (1_024 - 256) + 32_768,  # weights per output position, + the bias per output
        "ptflops": mults + 32_768 + 2 * 32_768 + 2 * 32_768,  # bias; relu twice; upsample twice per output
        "fvcore": mults + 4 * 32_768,  # bilinear 4 per output element
        "thop": mults + 32_768 * (1_024 - 256) + 11 * 32_768,  # per output position; bilinear 11
        "keras": None,
        "flops": 2 * mults,
    }
    assert main(["conventions", str(spec)]) == 0
    out = capsys.readouterr().out
    assert "transposed conv weights per output position, not input position (+25,165,824)" in out
    assert "+11 per bilinear-upsampling output element (+360,448)" in out
    assert main(["network", str(spec), "--format", "json"]) == 0
    network = json.loads(capsys.readouterr().out)["networks"][0]
    assert [layer["other_ops"] for layer in network["layers"]] == [0, 32_768, 0, 131_072]
    assert network["totals"]["other_ops"] == 163_840
    assert main(["network", str(spec), "--exact"]) == 0
    summary = [line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("other operations")]
    assert summary == [["other", "operations", "163,840"]]


def test_a_shrinking_transposed_conv_is_a_negative_term() -> None:
    # 1×1 kernel, padding 1: (8 − 1) − 2 + 0 + 1 = 6 per side, 36 output positions against 64 input ones
    network = Network(
        "shrink", Shape(4, 8, 8), (Node("t", "convtranspose", ConvTransposeLayer(2, (1, 1), padding=(1, 1))),)
    )
    result = cost_network(network)
    assert result.output == Shape(2, 6, 6) and result.total == Cost(8, 8 * 64)
    [torchinfo] = [row for row in rows(network_subject(result)) if row.convention.tool == "torchinfo"]
    assert torchinfo.reported.ops == 8 * 36
    assert torchinfo.differences == ["transposed conv weights per output position, not input position (-224)"]


# One layer on a 16×8×8 input (1,024 elements), and (params, ops) as each tool printed them for the same module
# alone in an nn.Sequential (the versions of this module's docstring; tests/test_against_torch.py builds them):
# torchinfo, ptflops, fvcore, thop, FlopCounterMode.
ONE_LAYER = [
    ("{type: activation, fn: relu}", [(0, 0), (0, 2_048), (0, 0), (0, 0), (0, 0)]),
    ("{type: activation, fn: relu6}", [(0, 0), (0, 1_024), (0, 0), (0, 0), (0, 0)]),
    ("{type: activation, fn: hardswish}", [(0, 0), (0, 0), (0, 0), (0, 0), (0, 0)]),
    ("{type: activation, fn: silu}", [(0, 0), (0, 1_024), (0, 0), (0, 0), (0, 0)]),
    ("{type: activation, fn: gelu}", [(0, 0), (0, 2_048), (0, 0), (0, 0), (0, 0)]),
    # nn.LayerNorm(16) between two permutes, as ConvNeXt's blocks: 2·16 params
    ("{type: layernorm}", [(32, 32), (32, 1_024), (32, 5_120), (32, 4_096), (32, 0)]),
    ("{type: groupnorm, groups: 4}", [(32, 32), (32, 2_048), (32, 5_120), (0, 0), (32, 0)]),
    ("{type: scale}", [(16, 0), (16, 0), (16, 0), (0, 0), (16, 0)]),  # a parameter of its own module
    ("{type: mean}", [(0, 0), (0, 0), (0, 0), (0, 0), (0, 0)]),
    # 16×16×16 = 4,096 outputs; 16×16×24 = 6,144
    ("{type: upsample, scale: 2}", [(0, 0), (0, 8_192), (0, 4_096), (0, 4_096), (0, 0)]),
    ("{type: upsample, scale: 2, mode: bilinear}", [(0, 0), (0, 8_192), (0, 16_384), (0, 45_056), (0, 0)]),
    ("{type: upsample, size: [16, 24]}", [(0, 0), (0, 12_288), (0, 6_144), (0, 6_144), (0, 0)]),
    # 16 → 8, 4×4, stride 2, padding 1, bias: 2,048 weights + 8; 8×8 inputs, 16×16 outputs
    (
        "{type: convtranspose, out: 8, kernel: 4, stride: 2, padding: 1, bias: true}",
        [(2_056, 526_336), (2_056, 133_120), (2_056, 131_072), (2_056, 524_288), (2_056, 262_144)],
    ),
    (
        "{type: convtranspose, out: 8, kernel: 3, stride: 2, padding: 1, output_padding: 1, groups: 2}",
        [(576, 147_456), (576, 36_864), (576, 36_864), (576, 147_456), (576, 73_728)],
    ),
    (
        "{type: convtranspose, out: 8, kernel: 1, padding: 1}",
        [(128, 4_608), (128, 8_192), (128, 8_192), (128, 4_608), (128, 16_384)],
    ),
    ("{type: pool, kernel: 3, stride: 2, ceil_mode: true}", [(0, 0), (0, 2_048), (0, 0), (0, 0), (0, 0)]),
]


@pytest.mark.parametrize(("layer", "printed"), ONE_LAYER)
def test_one_layer_as_each_tool_printed_it(layer: str, printed: list[tuple[int, int]]) -> None:
    [result] = cost_specs([load_text(f"input: [16, 8, 8]\nlayers: [{layer}]\n", "one.yaml")[0]])
    found = {row.convention.tool: (row.reported.params, row.reported.ops) for row in rows(network_subject(result))}
    assert [found[tool] for tool in ("torchinfo", "ptflops", "fvcore", "thop", "flops")] == printed
