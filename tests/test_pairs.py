"""Separable pairs (dsc_cost.pairs): a depthwise layer and its pointwise partner are one separable conv in the
as-standard what-if, however a spec writes them; every expected number below is worked out by hand."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from dsc_cost.formulas import Cost
from dsc_cost.memory import network_memory
from dsc_cost.network import NetworkCost, network_totals
from dsc_cost.spec import cost_specs, load_text


def cost(text: str) -> NetworkCost:
    [result] = cost_specs(load_text(text, "net.yaml"))
    return result


def rows(result: NetworkCost) -> dict[str, Any]:
    return {layer.name: layer for layer in result.layers}


DATA = Path(__file__).parent / "data"
MBCONV_FILE = DATA / "mbconv.yaml"
MBCONV = MBCONV_FILE.read_text(encoding="utf-8").split("  - {name: lone")[0]
"""tests/data/mbconv.yaml without its lone depthwise layer: one MBConv block on 16×8×8."""


def test_an_mbconv_block_pairs_its_depthwise_with_its_projection_through_the_gate() -> None:
    # 16×8×8 (64 positions); expansion 16 → 64, depthwise 3×3 padding 1, an SE gate 64 → 4 → 64, projection 64 → 24
    result = cost(MBCONV)
    r = rows(result)
    expand = Cost(16 * 64 + 2 * 64, 16 * 64 * 64)  # 1,152 params (batch-norm 128), 65,536 mults
    dw = Cost(64 * 9 + 2 * 64, 64 * 9 * 64)  # 704 params, 36,864 mults
    se = Cost((64 * 4 + 4) + (4 * 64 + 64), 64 * 4 + 4 * 64)  # 580 params, 512 mults (on 1×1)
    project = Cost(64 * 24 + 2 * 24, 64 * 24 * 64)  # 1,584 params, 98,304 mults
    own = expand + dw + se + project
    assert result.total == own == Cost(4_020, 201_216)
    # as standard: the pair is one 3×3 conv 64 → 24 with the projection's batch-norm (64·24·9 = 13,824 weights
    # + 48), on the depthwise row; the projection's row is absorbed; the expansion and the gate keep their costs
    pair = Cost(64 * 24 * 9 + 2 * 24, 64 * 24 * 9 * 64)
    assert (r["dw"].standard, r["project"].standard) == (pair, Cost(0, 0))
    assert (r["dw"].pair, r["dw"].pair_role, r["project"].pair, r["project"].pair_role) == (
        "project", "depthwise", "dw", "partner"
    )  # fmt: skip
    assert result.standard == expand + pair + se == Cost(15_604, 950_784)
    # as separable: a pair is already separable, and the rest has nothing to separate
    assert result.separable == own
    [p] = result.pairing.pairs
    names = [result.layers[i].name for i in p.between]
    assert names == ["act2", "squeeze", "fc1", "act3", "fc2", "gate", "excite"]
    assert [result.layers[i].name for i in p.path] == ["act2", "excite"]
    assert result.pairing.unpaired == ()
    assert network_totals(result.network).standard == result.standard


LONE = """\
name: lone
input: [8, 6, 6]
layers:
  - {name: dw, type: depthwise, kernel: 3, multiplier: 2, bias: true}
  - {name: pool, type: pool, mode: avg, global: true}
  - {name: fc, type: linear, out: 10}
"""


def test_a_lone_depthwise_is_the_full_conv_of_its_own_shapes_and_says_why() -> None:
    # 8×6×6 → 16×4×4 (16 positions): own 16·9 + 16 = 160 params, 144·16 = 2,304 mults; as standard a 3×3 conv
    # 8 → 16 with the bias: 16·8·9 + 16 = 1,168 params, 1,152·16 = 18,432 mults
    result = cost(LONE)
    dw = rows(result)["dw"]
    assert (dw.cost, dw.standard, dw.separable) == (Cost(160, 2_304), Cost(1_168, 18_432), Cost(160, 2_304))
    assert (dw.pair, dw.pair_role) == ("", "")
    [alone] = result.pairing.unpaired
    assert alone.depthwise == 0
    assert alone.reason == "its output is read by 'pool' (pool), which cannot pass or end a pair"


@pytest.mark.parametrize(
    ("layers", "reason"),
    [
        (
            "[{name: dw, type: depthwise, kernel: 3, pair: false}, {name: pw, type: pointwise, out: 8}]",
            "it opts out (pair: false)",
        ),
        (
            "[{name: dw, type: depthwise, kernel: 3}, {name: act, type: activation, fn: relu},"
            " {name: pw, type: pointwise, out: 4}, {name: both, type: concat, inputs: [act, pw]}]",
            "'act' on the way to 'pw' is also read by 'both' (concat)",
        ),
        (
            "[{name: dw, type: depthwise, kernel: 3}, {name: pw, type: pointwise, out: 8, stride: 2}]",
            "its output is read by 'pw' (pointwise), which cannot pass or end a pair",
        ),
        (
            "[{name: dw, type: depthwise, kernel: 3}, {name: a, type: pointwise, out: 8, from: dw},"
            " {name: b, type: pointwise, out: 8, from: dw}, {name: sum, type: add, inputs: [a, b]}]",
            "its output is read by 'a' (pointwise), 'b' (pointwise): more than one way on",
        ),
        (
            "[{name: dw, type: depthwise, kernel: 3}, {name: act, type: activation, fn: relu}]",
            "its output, through 'act', is the network's output, with no 1×1 conv after it",
        ),
        (
            # a gate computed from the network's input, not from the path: no squeeze-and-excitation of it
            "[{name: dw, type: depthwise, kernel: 3, padding: 1}, {name: g, type: pool, mode: avg, global: true,"
            " from: input}, {name: m, type: mul, inputs: [dw, g]}, {name: pw, type: pointwise, out: 8}]",
            "its output is read by 'm' (mul), which cannot pass or end a pair",
        ),
    ],
)
def test_what_keeps_a_depthwise_layer_alone(layers: str, reason: str) -> None:
    # 4×6×6 → 4×4×4 (no padding) or 4×6×6 (padding 1): alone, as standard the full 3×3 conv 4 → 4
    result = cost(f"input: [4, 6, 6]\nlayers: {layers}\n")
    assert result.pairing.pairs == ()
    [alone] = result.pairing.unpaired
    assert alone.reason == reason
    dw = result.layers[0]
    positions = dw.output.numel // dw.output.channels
    assert dw.standard == Cost(4 * 4 * 9, 4 * 4 * 9 * positions)
    assert all(layer.standard == layer.cost for layer in result.layers[1:])


def test_a_convnext_block_pairs_its_depthwise_with_the_linear_layer_at_every_position() -> None:
    # 8×6×6 (36 positions): a 7×7 depthwise with bias, padding 3, a layer-norm, a linear 8 → 32 at every position
    # as standard: a 7×7 conv 8 → 32 with the linear's bias, 8·32·49 + 32 = 12,576 params, 12,544·36 mults
    result = cost(
        "input: [8, 6, 6]\nlayers:\n"
        "  - {name: dw, type: depthwise, kernel: 7, padding: 3, bias: true}\n"
        "  - {name: norm, type: layernorm}\n"
        "  - {name: fc1, type: linear, out: 32, bias: true, per_position: true}\n"
        "  - {name: act, type: activation, fn: gelu}\n"
        "  - {name: fc2, type: linear, out: 8, bias: true, per_position: true}\n"
        "  - {name: scale, type: scale}\n"
        "  - {name: residual, type: add, inputs: [input, scale]}\n"
    )
    r = rows(result)
    assert (r["dw"].standard, r["fc1"].standard) == (Cost(12_576, 12_544 * 36), Cost(0, 0))
    assert r["fc2"].standard == r["fc2"].cost  # the second linear is nobody's partner
    own = result.total
    # the depthwise's own 8·49 + 8 = 400 params and 392·36 mults and fc1's 8·32 + 32 and 256·36 leave the total
    assert result.standard == Cost(own.params - 400 - 288 + 12_576, own.mults - 392 * 36 - 256 * 36 + 12_544 * 36)


def test_a_depthwise_conv_written_as_a_grouped_conv_pairs_with_a_1x1_conv() -> None:
    # conv groups = in channels 6 (multiplier 2: 12 outputs), 3×3 padding 1 on 6×5×5, batch-norm, relu, a 1×1
    # conv 12 → 10 with bias: as standard a 3×3 conv 6 → 10 with bias, 10·6·9 + 10 = 550 params, 540·25 mults
    result = cost(
        "input: [6, 5, 5]\nlayers:\n"
        "  - {name: dw, type: conv, out: 12, kernel: 3, padding: 1, groups: 6, batchnorm: true}\n"
        "  - {name: act, type: activation, fn: relu6}\n"
        "  - {name: pw, type: conv, out: 10, kernel: 1, bias: true}\n"
    )
    r = rows(result)
    assert (r["dw"].standard, r["pw"].standard) == (Cost(550, 540 * 25), Cost(0, 0))
    assert r["dw"].pair == "pw"


def test_pairs_in_a_repeated_block_each_carry_their_own_partner(run: Run) -> None:
    # two uses of one block: each depthwise pairs with its own projection; the JSON names each partner
    spec = (
        '{"input": [8, 6, 6], "blocks": {"b": {"layers": [{"name": "dw", "type": "depthwise", "kernel": 3,'
        ' "padding": 1}, {"name": "pw", "type": "pointwise", "out": 8}]}},'
        ' "layers": [{"name": "s", "type": "b", "repeat": 2}]}'
    )
    result = cost(spec)
    assert [(layer.name, layer.pair) for layer in result.layers] == [
        ("s.1.dw", "s.1.pw"), ("s.1.pw", "s.1.dw"), ("s.2.dw", "s.2.pw"), ("s.2.pw", "s.2.dw")
    ]  # fmt: skip
    # each pair: a 3×3 conv 8 → 8, 576 weights on 36 positions
    assert result.standard == Cost(2 * 576, 2 * 576 * 36)


def test_json_csv_markdown_and_explain_show_the_pairs(run: Run) -> None:
    path = str(MBCONV_FILE)  # the MBConv block above, then a lone depthwise: 24×8×8 → 48×6×6, multiplier 2
    code, out, err = run("network", path, "--format", "json")
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    layers = {layer["name"]: layer for layer in net["layers"]}
    assert (layers["dw"]["pair"], layers["dw"]["pair_role"]) == ("project", "depthwise")
    assert (layers["project"]["pair"], layers["project"]["pair_role"]) == ("dw", "partner")
    assert layers["project"]["standard"] == {"params": 0, "mults": 0}
    assert "pair" not in layers["lone"] and "pair" not in layers["expand"]
    # the lone one as standard: a 3×3 conv 24 → 48 with the bias, 48·24·9 + 48 params, 10,368·36 mults
    assert layers["lone"]["standard"] == {"params": 10_368 + 48, "mults": 10_368 * 36}
    code, out, _ = run("network", path, "--format", "csv")
    lines = out.splitlines()
    assert lines[0].endswith(",non_trainable_params,pair,pair_role")
    assert any(",project,pointwise," in line and line.endswith(",dw,partner") for line in lines)
    code, out, _ = run("network", path, "--format", "markdown")
    assert "| project | pointwise | 64×8×8 → 24×8×8 |" in out and "| in dw |" in out
    assert "1 separable pair" in out and "1 depthwise layer alone" in out
    code, out, _ = run("network", path, "--explain")
    assert code == 0
    assert (
        "  dw + project: a 3×3 conv 64 → 24, 13,872 params, 884,736 mults\n    through act2, excite, a gate of 5" in out
    )
    assert "  lone:\n    its output is read by 'pool' (pool), which cannot pass or end a pair" in out
    code, out, _ = run("network", path, "--explain", "--format", "json")
    assert (
        "  dw + project: a 3×3 conv 64 → 24, 13,872 params, 884,736 mults" in json.loads(out)["networks"][0]["explain"]
    )
    code, _, err = run("network", path, "--explain", "--format", "csv")
    assert code == 2 and "--explain: not available with --format csv" in err


def test_the_roofline_times_a_pair_as_its_full_conv() -> None:
    from dsc_cost.devices import Device

    result = cost(MBCONV)
    device = Device("d", "d", "cpu", (("fp32", 10**9),), 10**9)  # 10⁹ mults and 10⁹ bytes per second
    memory = network_memory(result, device=device)
    assert memory.roofline is not None
    times = {layer.name: time for layer, time in zip(result.layers, memory.roofline.layers, strict=True)}
    assert times["project"].standard_seconds == 0
    # the pair's full conv: 884,736 mults; its bytes (fp32): weights 13,872 · 4, the depthwise's input 64·64 · 4,
    # the output 24·64 · 4 = 67,840; the longer of the two times
    moved = (13_872 + 64 * 64 + 24 * 64) * 4
    assert times["dw"].standard_seconds == Fraction(max(884_736, moved), 10**9)
    assert memory.roofline.standard_seconds == sum(t.standard_seconds for t in memory.roofline.layers)


def test_check_gates_on_the_saving_of_the_pairs(run: Run, tmp_path: Path) -> None:
    # the MBConv above saves 1 − 201,216 / 950,784 = 78.84 % of the mults against its all-standard form
    path = tmp_path / "mb.yaml"
    path.write_text(MBCONV)
    assert run("check", str(path), "--min-savings-vs-standard", "78%")[0] == 0
    assert run("check", str(path), "--min-savings-vs-standard", "79%")[0] == 1


CONFIG_PAIRS = {
    # every depthwise conv of each network pairs with its block's 1×1 projection (or ConvNeXt's first MLP layer):
    "efficientnet_b0.yaml": 16,  # the MBConv blocks of Table 1: 1 + 2 + 2 + 3 + 3 + 4 + 1
    "mobilenet_v2.yaml": 17,  # the bottleneck blocks of Table 2: 1 + 2 + 3 + 4 + 3 + 3 + 1
    "mobilenet_v3_large.yaml": 15,  # the bneck rows of Table 1
    "mobilenet_v3_small.yaml": 11,  # the bneck rows of Table 2
    "mnasnet1_0.yaml": 17,  # the separable conv after the stem, then the MBConv blocks 3 + 3 + 3 + 2 + 4 + 1
    "shufflenet_v2_x1_0.yaml": 19,  # a downsampling unit's two branches (3 stages × 2) and the basic units 3 + 7 + 3
    "convnext_tiny.yaml": 18,  # the blocks of stages 3 + 3 + 9 + 3
}


@pytest.mark.parametrize(("config", "pairs"), CONFIG_PAIRS.items())
def test_each_modern_config_pairs_every_depthwise_conv(config: str, pairs: int, run: Run) -> None:
    from conftest import config_network

    net = config_network(run, config)
    layers = {layer["name"]: layer for layer in net["layers"]}
    depthwise = [layer for layer in net["layers"] if layer["type"] == "depthwise"]
    assert len(depthwise) == pairs and all(layer.get("pair_role") == "depthwise" for layer in depthwise)
    for dw in depthwise:
        partner = layers[dw["pair"]]
        assert (partner["pair"], partner["pair_role"]) == (dw["name"], "partner")
        assert partner["standard"] == {"params": 0, "mults": 0}
        # the pair as one full conv: each depthwise weight (C·M·K² of them, on the output positions) becomes
        # O/M weights of the full conv, C·K²·O: standard mults = depthwise mults × O / M
        multiplier = dw["output"]["channels"] // dw["input"]["channels"]
        assert dw["standard"]["mults"] * multiplier == dw["mults"] * partner["output"]["channels"]
    assert net["totals"]["standard"]["mults"] == sum(layer["standard"]["mults"] for layer in net["layers"])
    saved = 1 - net["totals"]["mults"] / net["totals"]["standard"]["mults"]
    assert net["savings_vs_standard"]["mults"] == pytest.approx(saved) and saved > 0.7


@pytest.mark.parametrize(
    ("config", "percent"),
    # the figures these networks had before pairs, unchanged: they write their separable convs as `separable`
    [("mobilenet_v1.yaml", "88.32"), ("xception.yaml", "87.86")],
)
def test_networks_written_with_separable_layers_keep_their_savings(config: str, percent: str, run: Run) -> None:
    from conftest import config_network

    net = config_network(run, config)
    assert f"{100 * net['savings_vs_standard']['mults']:.2f}" == percent
    assert not any("pair" in layer for layer in net["layers"])


def test_mobilenet_v2_written_as_pairs_keeps_its_savings(run: Run) -> None:
    # its depthwise convs and projections were `separable` layers; as pairs, with the BN and ReLU6 between them
    # written out, every figure of the what-ifs is the same (re-derived by hand in test_configs.py's
    # test_mobilenet_v2): 75.45% of the mults saved against all-standard
    from conftest import config_network

    net = config_network(run, "mobilenet_v2.yaml")
    assert not any(layer["type"] == "separable" for layer in net["layers"])
    assert net["totals"]["standard"] == {"params": 11_131_976, "mults": 1_224_972_288}
    assert net["totals"]["separable"] == {"params": 3_504_137, "mults": 291_479_168}
    assert f"{100 * net['savings_vs_standard']['mults']:.2f}" == "75.45"
