"""One analysis (dsc_cost.analysis): every figure of a network worked out once and read by every format; the
separable pairs applied in one place; ``compare`` costed through a network's layers. Numbers by hand in the test."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

import dsc_cost.memory
from dsc_cost import Conv, Cost, Shape, compare
from dsc_cost.analysis import NetworkReport, analyze
from dsc_cost.conventions import CONVENTIONS
from dsc_cost.devices import DTYPES, Device
from dsc_cost.layers.activation import ActivationLayer
from dsc_cost.memory import Settings
from dsc_cost.network import ConvLayer, DepthwiseLayer, Network, Node, PointwiseLayer, cost_network, network_totals
from dsc_cost.report import network_output
from dsc_cost.report.documents import network_json

SEED = Network("seed", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
"""Seed 000: 7×7×3 → 128 filters 3×3, output 5×5×128."""

# a depthwise 3×3 on 4×6×6 (no padding: 4×4×4 out), a relu, then a pointwise to 8: one separable pair
PAIRED = Network(
    "pair",
    Shape(4, 6, 6),
    (
        Node("dw", "depthwise", DepthwiseLayer((3, 3))),
        Node("act", "activation", ActivationLayer("relu")),
        Node("pw", "pointwise", PointwiseLayer(8)),
    ),
)


def test_a_report_holds_costs_what_ifs_bytes_times_and_the_as_figures() -> None:
    # 2 MACs per second and 4 bytes per second: the times are whole numbers of seconds
    device = Device("toy", "toy", "", tuple((dtype, 2) for dtype in DTYPES), 4)
    report = analyze(SEED, Settings("int8", "int8", device, True), CONVENTIONS["fvcore"])
    [layer] = report.layers()
    # 3·128·9 = 3,456 weights, × 25 positions = 86,400 MACs; separable: 27 + 384 weights, 675 + 9,600 MACs
    assert (layer.layer.cost, layer.layer.separable) == (Cost(3456, 86400), Cost(411, 10275))
    # int8: 3,456 weight bytes, 147 input, 3,200 output; alive at its step: input and output
    assert layer.memory is not None and layer.time is not None and layer.reported is not None
    assert (layer.memory.weight_bytes, layer.memory.input_bytes, layer.memory.output_bytes) == (3456, 147, 3200)
    assert report.memory.peak_bytes == layer.memory.live_bytes == 147 + 3200
    # 86,400 / 2 = 43,200 s of compute against (3,456 + 147 + 3,200) / 4 = 1,700.75 s of memory
    assert (layer.time.seconds, layer.time.bound) == (Fraction(43200), "compute")
    assert layer.reported.ops == 86400  # fvcore: one per MAC, a conv without bias
    totals = report.totals()
    assert (totals.layer.cost, totals.layer.standard) == (Cost(3456, 86400), Cost(3456, 86400))
    assert totals.memory is not None and totals.memory.live_bytes == 3347
    assert totals.time is not None and totals.time.seconds == Fraction(43200)
    assert analyze(report) is report


def test_every_format_reads_one_report_whose_figures_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    network_memory = dsc_cost.memory.network_memory

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("memory")
        return network_memory(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dsc_cost.memory, "network_memory", counted)
    report = NetworkReport(cost_network(SEED), Settings(show=True))
    document = json.loads(network_json([report]))
    table = network_output([report], "table", settings=report.settings)
    csv = network_output([report], "csv", settings=report.settings)
    assert calls == ["memory"]  # three formats, one working out of the bytes
    assert document["networks"][0]["totals"]["memory"]["peak_bytes"] == 4 * (147 + 3200)
    assert table is not None and isinstance(csv, str)
    # weights 3,456 × 4 bytes, input 147 × 4, output 3,200 × 4, no intermediate tensor, both alive at its step
    assert csv.splitlines()[1].split(",")[-5:] == ["13824", "588", "12800", "0", "13388"]


def test_the_separable_pairs_are_applied_once_for_every_layer_and_for_the_totals() -> None:
    # as standard, the pair is one full conv 4 → 8, 3×3 on 6×6: 4·8·9 = 288 weights × 16 positions = 4,608 MACs
    result = cost_network(PAIRED)
    assert [(layer.name, layer.standard, layer.pair_role) for layer in result.layers] == [
        ("dw", Cost(288, 4608), "depthwise"),
        ("act", Cost(0, 0), ""),
        ("pw", Cost(0, 0), "partner"),
    ]
    assert result.standard == network_totals(PAIRED).standard == Cost(288, 4608)
    # batch 3: mults × 3, params as they were
    assert (
        result.standard.mults * 3 == cost_network(PAIRED, 3).standard.mults == network_totals(PAIRED, 3).standard.mults
    )


def test_compare_costs_a_networks_layers() -> None:
    # 3 → 128, 3×3, multiplier 2, a bias on both steps, on 7×7 (5×5 out)
    c = compare(Conv(3, 128, (3, 3), multiplier=2, bias="both"), 7, 7, batch=2)
    assert c.standard == Cost(3456 + 128, 86400 * 2)  # the bias: one per output channel
    assert c.depthwise == Cost(3 * 2 * 9 + 6, 3 * 2 * 9 * 25 * 2)
    assert c.pointwise == Cost(6 * 128 + 128, 6 * 128 * 25 * 2)
    assert c.output == Shape(128, 5, 5)
    standard, separable = c.layers
    assert (type(standard).__name__, type(separable).__name__) == ("ConvLayer", "SeparableLayer")
    # groups 2: the standard conv 4 → 8 of 2 groups on 5×5 (3×3 out): 8·2·9 = 144 weights × 9 positions
    assert compare(Conv(4, 8, (3, 3), groups=2), 5, 5).standard == Cost(144, 1296)
