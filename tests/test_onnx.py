"""ONNX models in: graphs built here with onnx.helper (no framework), costed as the spec they are, every expected
count from hand arithmetic written beside it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402

from dsc_cost import files  # noqa: E402
from dsc_cost.cli import main  # noqa: E402
from dsc_cost.errors import SpecError  # noqa: E402
from dsc_cost.formulas import Shape  # noqa: E402
from dsc_cost.layers.split import SplitLayer  # noqa: E402
from dsc_cost.network import cost_network  # noqa: E402
from dsc_cost.onnx import OnnxOptions, read_network, spec_data, spec_text  # noqa: E402
from dsc_cost.spec import load_files, load_text  # noqa: E402

DATA = Path(__file__).parent / "data"


def weight(name: str, dims: list[int]) -> TensorProto:
    """A float initializer of ``dims`` (its data zeros: only its shape counts)."""
    count = 1
    for d in dims:
        count *= d
    return helper.make_tensor(name, TensorProto.FLOAT, dims, [0.0] * count)


def ints(name: str, values: list[int]) -> TensorProto:
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], values)


def save(
    tmp_path: Path,
    nodes: list[Any],
    inits: list[TensorProto],
    shape: list[Any],
    name: str = "m",
    *,
    opset: int = 18,
    infos: list[Any] | None = None,
) -> str:
    """The graph of ``nodes`` on an input ``x`` of ``shape``, its last node's output the graph's, as an ONNX file
    (``opset``; ``infos``: value_info of intermediate shapes)."""
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, None)], inits, value_info=infos or [],
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / f"{name}.onnx"
    onnx.save(model, str(path))
    return str(path)


def layers(path: str, **options: Any) -> list[tuple[str, str, int, int, Shape]]:
    """(name, type, params, mults, output) of each layer of the costed ONNX file."""
    result = cost_network(read_network(path, OnnxOptions(**options)).network)
    return [(layer.name, layer.type, layer.cost.params, layer.cost.mults, layer.output) for layer in result.layers]


def test_conv_geometry_pads_auto_pad_groups_dilation(tmp_path: Path) -> None:
    nodes = [
        # 3→8, 3×3, stride 2, asymmetric pads (0, 0, 1, 1) as TF's SAME: 16×16 → 8×8
        helper.make_node("Conv", ["x", "w1"], ["a"], "asym", pads=[0, 0, 1, 1], strides=[2, 2]),
        # SAME_UPPER, stride 2: 8×8 → 4×4; groups 2: 8→8, weights 8·4·3·3 = 288
        helper.make_node("Conv", ["a", "w2", "b2"], ["b"], "same", auto_pad="SAME_UPPER", strides=[2, 2], group=2),
        # SAME_LOWER stride 1, dilation 2: 4×4 stays
        helper.make_node("Conv", ["b", "w3"], ["c"], "lower", auto_pad="SAME_LOWER", dilations=[2, 2]),
        # VALID 3×3 on 4×4: 2×2
        helper.make_node("Conv", ["c", "w4"], ["y"], "valid", auto_pad="VALID"),
    ]
    inits = [weight("w1", [8, 3, 3, 3]), weight("w2", [8, 4, 3, 3]), weight("b2", [8]), weight("w3", [8, 8, 3, 3])]
    inits.append(weight("w4", [4, 8, 3, 3]))
    got = layers(save(tmp_path, nodes, inits, [1, 3, 16, 16]))
    assert got == [
        ("asym", "conv", 216, 216 * 64, Shape(8, 8, 8)),  # 8·3·9 = 216 weights at 8·8 positions
        ("same", "conv", 288 + 8, 288 * 16, Shape(8, 4, 4)),
        ("lower", "conv", 576, 576 * 16, Shape(8, 4, 4)),
        ("valid", "conv", 288, 288 * 4, Shape(4, 2, 2)),
    ]


def test_depthwise_then_pointwise_is_one_separable_layer_and_a_lone_depthwise_stays(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Conv", ["x", "dw"], ["d"], "dw", pads=[1, 1, 1, 1], group=8),
        helper.make_node("Clip", ["d", "lo", "hi"], ["r"], "relu6"),
        helper.make_node("Conv", ["r", "pw", "pb"], ["p"], "pw"),
        helper.make_node("Conv", ["p", "dw2", "db2"], ["q"], "dw2", pads=[1, 1, 1, 1], group=16),
        helper.make_node("GlobalAveragePool", ["q"], ["y"], "pool"),
    ]
    inits = [weight("dw", [8, 1, 3, 3]), weight("pw", [16, 8, 1, 1]), weight("pb", [16]), weight("dw2", [16, 1, 3, 3])]
    inits += [weight("db2", [16]), helper.make_tensor("lo", TensorProto.FLOAT, [], [0.0])]
    inits.append(helper.make_tensor("hi", TensorProto.FLOAT, [], [6.0]))
    path = save(tmp_path, nodes, inits, [1, 8, 10, 10])
    result = cost_network(read_network(path).network)
    sep, dw2, pool = result.layers
    # depthwise 8·9 = 72 weights, pointwise 8·16 + 16 = 144, on 10×10: (72 + 128)·100 mults
    assert (sep.type, sep.cost.params, sep.cost.mults) == ("separable", 72 + 144, 200 * 100)
    # as standard: 3×3 conv 8→16 with bias: 1152 + 16 params, 1152·100 mults
    assert (sep.standard.params, sep.standard.mults) == (1168, 115_200)
    assert (dw2.type, dw2.cost.params, dw2.cost.mults) == ("depthwise", 144 + 16, 144 * 100)
    assert pool.type == "pool"
    assert dict(result.by_kind)["depthwise"].mults == 72 * 100 + 144 * 100


def test_channels_last_mlp_layer_norm_layer_scale_and_gelu(tmp_path: Path) -> None:
    """ConvNeXt's block as the exporters write it: permute, layer-norm, MatMul + Add, GELU (the Erf form),
    MatMul + Add, permute back, Mul by the layer scale, residual add."""
    nodes = [
        helper.make_node("Transpose", ["x"], ["t"], "perm", perm=[0, 2, 3, 1]),
        helper.make_node("LayerNormalization", ["t", "g", "b"], ["n"], "norm", axis=-1),
        helper.make_node("MatMul", ["n", "w1"], ["m1"], "fc1"),
        helper.make_node("Add", ["b1", "m1"], ["h"], "fc1_bias"),
        helper.make_node("Div", ["h", "sqrt2"], ["hd"], "div"),
        helper.make_node("Erf", ["hd"], ["e"], "erf"),
        helper.make_node("Add", ["e", "one"], ["e1"], "add1"),
        helper.make_node("Mul", ["h", "e1"], ["he"], "gelu"),
        helper.make_node("Mul", ["he", "half"], ["act"], "half"),
        helper.make_node("MatMul", ["act", "w2"], ["m2"], "fc2"),
        helper.make_node("Add", ["m2", "b2"], ["o"], "fc2_bias"),
        helper.make_node("Transpose", ["o"], ["back"], "unperm", perm=[0, 3, 1, 2]),
        helper.make_node("Mul", ["scale", "back"], ["s"], "layer_scale"),
        helper.make_node("Add", ["s", "x"], ["y"], "residual"),
    ]
    inits = [weight("g", [8]), weight("b", [8]), weight("w1", [8, 32]), weight("b1", [32]), weight("w2", [32, 8])]
    inits += [weight("b2", [8]), weight("scale", [8, 1, 1])]
    inits += [
        helper.make_tensor(n, TensorProto.FLOAT, [], [v]) for n, v in (("sqrt2", 1.41), ("one", 1), ("half", 0.5))
    ]
    got = layers(save(tmp_path, nodes, inits, [1, 8, 5, 5]))
    assert got == [
        ("norm", "layernorm", 16, 0, Shape(8, 5, 5)),
        ("fc1", "linear", 8 * 32 + 32, 8 * 32 * 25, Shape(32, 5, 5)),  # per position: 25 positions
        ("gelu", "activation", 0, 0, Shape(32, 5, 5)),
        ("fc2", "linear", 32 * 8 + 8, 32 * 8 * 25, Shape(8, 5, 5)),
        ("layer_scale", "scale", 8, 0, Shape(8, 5, 5)),
        ("residual", "add", 0, 0, Shape(8, 5, 5)),
    ]
    network = read_network(str(tmp_path / "m.onnx")).network
    assert network.nodes[2].layer.fn == "gelu"  # type: ignore[attr-defined]
    assert network.nodes[1].layer.per_position  # type: ignore[attr-defined]


def test_squeeze_excitation_silu_hardswish_and_the_classifier(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Conv", ["x", "w", "wb"], ["c"], "conv"),
        helper.make_node("Sigmoid", ["c"], ["sg"], "sigmoid"),
        helper.make_node("Mul", ["c", "sg"], ["a"], "silu"),
        helper.make_node("ReduceMean", ["a", "axes"], ["m"], "squeeze", keepdims=1),
        helper.make_node("Conv", ["m", "f1", "f1b"], ["f"], "fc1"),
        helper.make_node("HardSigmoid", ["f"], ["h"], "gate"),
        helper.make_node("Mul", ["h", "a"], ["se"], "excite"),
        helper.make_node("HardSwish", ["se"], ["hs"], "hardswish"),
        helper.make_node("GlobalMaxPool", ["hs"], ["p"], "pool"),
        helper.make_node("Flatten", ["p"], ["fl"], "flatten", axis=1),
        helper.make_node("Gemm", ["fl", "cw", "cb"], ["y"], "classifier", transB=1),
    ]
    inits = [weight("w", [16, 4, 1, 1]), weight("wb", [16]), weight("f1", [16, 16, 1, 1]), weight("f1b", [16])]
    inits += [ints("axes", [2, 3]), weight("cw", [10, 16]), weight("cb", [10])]
    got = layers(save(tmp_path, nodes, inits, [1, 4, 6, 6]))
    assert [(n, t, p, m) for n, t, p, m, _ in got] == [
        ("conv", "pointwise", 64 + 16, 64 * 36),
        ("sigmoid", "activation", 0, 0),  # x·sigmoid(x): one silu
        ("squeeze", "pool", 0, 0),
        ("fc1", "pointwise", 256 + 16, 256),
        ("gate", "activation", 0, 0),
        ("excite", "mul", 0, 0),
        ("hardswish", "activation", 0, 0),
        ("pool", "pool", 0, 0),
        ("classifier", "linear", 160 + 10, 160),
    ]
    network = read_network(str(tmp_path / "m.onnx")).network
    assert network.nodes[1].layer.fn == "silu"  # type: ignore[attr-defined]
    assert network.nodes[7].layer.mode == "max" and network.nodes[7].layer.global_  # type: ignore[attr-defined]


def test_x_times_its_hardsigmoid_of_pytorchs_slope_is_one_hardswish(tmp_path: Path) -> None:
    # hardswish(x) = x · ReLU6(x + 3) / 6 = x · HardSigmoid(x; alpha 1/6, beta 1/2) (PyTorch's definition); the
    # ONNX default slope 0.2 gives another function: a hardsigmoid and a mul, as written
    nodes = [
        helper.make_node("HardSigmoid", ["x"], ["g"], "gate", alpha=1 / 6, beta=0.5),
        helper.make_node("Mul", ["x", "g"], ["h"], "hswish"),
        helper.make_node("HardSigmoid", ["h"], ["g2"], "gate2"),
        helper.make_node("Mul", ["g2", "h"], ["y"], "product"),
    ]
    got = layers(save(tmp_path, nodes, [], [1, 4, 6, 6]))
    assert [(n, t) for n, t, *_ in got] == [("gate", "activation"), ("gate2", "activation"), ("product", "mul")]
    network = read_network(str(tmp_path / "m.onnx")).network
    assert [getattr(n.layer, "fn", None) for n in network.nodes] == ["hardswish", "hardsigmoid", None]


def test_pools_ceil_mode_resize_concat_batchnorm_groupnorm(tmp_path: Path) -> None:
    nodes = [
        # 3×3 stride 2 on 10×10, ceil: ⌈(10 − 3)/2⌉ + 1 = 5 (floor would give 4)
        helper.make_node("MaxPool", ["x"], ["a"], "maxpool", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        helper.make_node(
            "AveragePool", ["a"], ["b"], "avgpool", kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1]
        ),
        helper.make_node("Resize", ["b", "", "scales"], ["u"], "up", mode="nearest"),
        helper.make_node("BatchNormalization", ["u", "s", "o", "mu", "var"], ["n"], "bn"),
        helper.make_node("GroupNormalization", ["n", "gs", "gb"], ["g"], "gn", num_groups=2),
        helper.make_node("Concat", ["g", "u"], ["y"], "concat", axis=1),
    ]
    inits = [helper.make_tensor("scales", TensorProto.FLOAT, [4], [1, 1, 2, 2])]
    inits += [weight(n, [4]) for n in ("s", "o", "mu", "var", "gs", "gb")]
    got = layers(save(tmp_path, nodes, inits, [1, 4, 10, 10]))
    assert got == [
        ("maxpool", "pool", 0, 0, Shape(4, 5, 5)),
        ("avgpool", "pool", 0, 0, Shape(4, 6, 6)),  # 5 + 2 − 2 + 1
        ("up", "upsample", 0, 0, Shape(4, 12, 12)),
        ("bn", "batchnorm", 8, 0, Shape(4, 12, 12)),  # γ and β: the running statistics are not learned
        ("gn", "groupnorm", 8, 0, Shape(4, 12, 12)),
        ("concat", "concat", 0, 0, Shape(8, 12, 12)),
    ]


def test_shape_arithmetic_reshape_and_channel_shuffle(tmp_path: Path) -> None:
    """A flatten computed from Shape → Gather → Unsqueeze → Concat → Reshape, and ShuffleNet's channel shuffle
    (reshape to groups, transpose, reshape back), as a dynamic-size export writes them."""
    nodes = [
        helper.make_node("Reshape", ["x", "grouped"], ["r"], "view"),
        helper.make_node("Transpose", ["r"], ["t"], "transpose", perm=[0, 2, 1, 3, 4]),
        helper.make_node("Reshape", ["t", "back"], ["s"], "shuffle"),
        helper.make_node("Shape", ["s"], ["shape"], "shape"),
        helper.make_node("Gather", ["shape", "zero"], ["n"], "gather", axis=0),
        helper.make_node("Unsqueeze", ["n", "axis0"], ["n1"], "unsqueeze"),
        helper.make_node("Concat", ["n1", "minus1"], ["flat"], "cat", axis=0),
        helper.make_node("Reshape", ["s", "flat"], ["f"], "flatten"),
        helper.make_node("Gemm", ["f", "w"], ["y"], "fc", transB=1),
    ]
    inits = [ints("grouped", [1, 2, 4, 3, 3]), ints("back", [1, 8, 3, 3]), ints("axis0", [0]), ints("minus1", [-1])]
    inits += [helper.make_tensor("zero", TensorProto.INT64, [], [0]), weight("w", [5, 72])]
    got = layers(save(tmp_path, nodes, inits, [1, 8, 3, 3]))
    assert got == [("shuffle", "shuffle", 0, 0, Shape(8, 3, 3)), ("fc", "linear", 360, 360, Shape(5, 1, 1))]


def round_trip(network: Any) -> None:
    """The spec ``import`` writes of ``network``, YAML and JSON, reads back as the same nodes and costs the same."""
    for format_ in ("yaml", "json"):
        [spec] = load_text(spec_text(network, format_), f"m.{format_}")
        assert spec.network.nodes == network.nodes
        assert cost_network(spec.network) == cost_network(network)._replace(network=spec.network)


def test_a_channel_split_gives_parts_read_as_name_dot_index(tmp_path: Path) -> None:
    # ShuffleNetV2's unit: 8 channels split 2 + 6, the 6 through a 1×1 conv, then concatenated with the 2
    nodes = [
        helper.make_node("Split", ["x", "sizes"], ["a", "b"], "split", axis=1),
        helper.make_node("Conv", ["b", "w"], ["c"], "conv"),
        helper.make_node("Concat", ["a", "c"], ["y"], "concat", axis=1),
    ]
    got = layers(save(tmp_path, nodes, [ints("sizes", [2, 6]), weight("w", [6, 6, 1, 1])], [1, 8, 4, 4]))
    assert got == [
        ("split", "split", 0, 0, Shape(2, 4, 4)),  # a split costs nothing; its own output is part 0
        ("conv", "pointwise", 36, 36 * 16, Shape(6, 4, 4)),  # 6·6 weights at 4·4 positions
        ("concat", "concat", 0, 0, Shape(8, 4, 4)),  # 2 + 6 channels
    ]
    network = read_network(str(tmp_path / "m.onnx")).network
    assert network.nodes[0].layer == SplitLayer((2, 6))
    assert network.nodes[1].inputs == ("split.1",)  # a part is always named
    assert network.nodes[2].inputs == ("split.0", "conv")
    # the spec writes the split layer once, its parts read by name
    written = spec_data(network)["layers"]
    assert written == [
        {"name": "split", "type": "split", "sizes": [2, 6]},
        {"name": "conv", "type": "pointwise", "out": 6, "from": "split.1"},
        {"name": "concat", "type": "concat", "inputs": ["split.0", "conv"]},
    ]
    round_trip(network)


def test_a_split_in_equal_parts_is_written_with_parts_and_equal_sizes_stay_a_list(tmp_path: Path) -> None:
    # the dynamo exporter's x.chunk(2, dim=1): a Split of num_outputs 2, 8 channels in 4 + 4
    nodes = [
        helper.make_node("Split", ["x"], ["a", "b"], "chunk", axis=1, num_outputs=2),
        helper.make_node("Relu", ["b"], ["r"], "relu"),
        helper.make_node("Concat", ["a", "r"], ["y"], "concat", axis=1),
    ]
    network = read_network(save(tmp_path, nodes, [], [1, 8, 4, 4])).network
    assert network.nodes[0].layer == SplitLayer(None, 2)
    assert spec_data(network)["layers"][0] == {"name": "chunk", "type": "split", "parts": 2}
    assert [n.inputs for n in network.nodes] == [(), ("chunk.1",), ("chunk.0", "relu")]
    round_trip(network)
    # sizes given as 4 + 4: written as the list [4, 4] (a pair of equal numbers is not one number here)
    nodes[0] = helper.make_node("Split", ["x", "sizes"], ["a", "b"], "chunk", axis=1)
    network = read_network(save(tmp_path, nodes, [ints("sizes", [4, 4])], [1, 8, 4, 4])).network
    assert spec_data(network)["layers"][0] == {"name": "chunk", "type": "split", "sizes": [4, 4]}
    round_trip(network)
    # num_outputs 3 of 8 channels: ONNX's parts of ⌈8 / 3⌉ = 3, the last smaller, 3 + 3 + 2
    nodes = [
        helper.make_node("Split", ["x"], ["a", "b", "c"], "thirds", axis=1, num_outputs=3),
        helper.make_node("Concat", ["c", "b", "a"], ["y"], "concat", axis=1),
    ]
    network = read_network(save(tmp_path, nodes, [], [1, 8, 4, 4])).network
    assert network.nodes[0].layer == SplitLayer((3, 3, 2))
    assert network.nodes[1].inputs == ("thirds.2", "thirds.1", "thirds.0")
    round_trip(network)


def test_slices_that_cut_the_channels_into_runs_are_one_split(tmp_path: Path) -> None:
    # x.chunk(2, dim=1) as dynamo=False exports it: two Slices of the same output, channels 0..4 and 4..8 of 8
    # (the end 2⁶², as the exporter writes "to the end"), the second half through a 1×1 conv 4 → 4 (4·4 = 16
    # weights at 4·4 positions), concatenated back
    nodes = [
        helper.make_node("Slice", ["x", "zero", "half", "one"], ["a"], "first"),
        helper.make_node("Slice", ["x", "half", "big", "one"], ["b"], "second"),
        helper.make_node("Conv", ["b", "w"], ["c"], "conv"),
        helper.make_node("Concat", ["a", "c"], ["y"], "concat", axis=1),
    ]
    inits = [ints("zero", [0]), ints("half", [4]), ints("big", [2**62]), ints("one", [1]), weight("w", [4, 4, 1, 1])]
    path = save(tmp_path, nodes, inits, [1, 8, 4, 4])
    assert layers(path) == [
        ("first", "split", 0, 0, Shape(4, 4, 4)),  # one split in 2 equal parts, named after the first Slice
        ("conv", "pointwise", 16, 16 * 16, Shape(4, 4, 4)),
        ("concat", "concat", 0, 0, Shape(8, 4, 4)),
    ]
    network = read_network(path).network
    assert network.nodes[0].layer == SplitLayer(None, 2)
    assert spec_data(network)["layers"][0] == {"name": "first", "type": "split", "parts": 2}
    assert [n.inputs for n in network.nodes] == [(), ("first.1",), ("first.0", "conv")]
    round_trip(network)


def test_slices_taken_out_of_order_renumber_the_parts_already_read(tmp_path: Path) -> None:
    # 8 channels sliced 5..8 first (a split 5 + 3, part 1 read), then 0..2 (the unread part 0..5 is cut:
    # 2 + 3 + 3, and the part read first is now part 2), then 2..5 (part 1): one split, parts read as .2, .0, .1
    nodes = [
        helper.make_node("Slice", ["x", "five", "eight", "one"], ["c"], "tail"),
        helper.make_node("Relu", ["c"], ["r"], "relu"),
        helper.make_node("Slice", ["x", "zero", "two", "one"], ["a"], "head"),
        helper.make_node("Slice", ["x", "two", "five", "one"], ["b"], "middle"),
        helper.make_node("Concat", ["r", "a", "b"], ["y"], "concat", axis=1),
    ]
    inits = [ints(name, [v]) for name, v in (("zero", 0), ("one", 1), ("two", 2), ("five", 5), ("eight", 8))]
    path = save(tmp_path, nodes, inits, [1, 8, 4, 4])
    network = read_network(path).network
    assert [(n.name, n.type, n.inputs) for n in network.nodes] == [
        ("tail", "split", ()),
        ("relu", "activation", ("tail.2",)),
        ("concat", "concat", ("relu", "tail.0", "tail.1")),
    ]
    assert network.nodes[0].layer == SplitLayer((2, 3, 3))
    assert cost_network(network).layers[-1].output == Shape(3 + 2 + 3, 4, 4)
    round_trip(network)
    # overlapping runs (0..5, then 3..8) cannot be parts of one split: two splits, 5 + 3 and 3 + 5
    nodes = [
        helper.make_node("Slice", ["x", "zero", "five", "one"], ["a"], "low"),
        helper.make_node("Slice", ["x", "three", "eight", "one"], ["b"], "high"),
        helper.make_node("Concat", ["a", "b"], ["y"], "concat", axis=1),
    ]
    inits = [ints(name, [v]) for name, v in (("zero", 0), ("one", 1), ("three", 3), ("five", 5), ("eight", 8))]
    network = read_network(save(tmp_path, nodes, inits, [1, 8, 4, 4])).network
    assert [(n.name, n.layer) for n in network.nodes[:2]] == [("low", SplitLayer((5, 3))), ("high", SplitLayer((3, 5)))]
    assert network.nodes[2].inputs == ("low.0", "high.1")
    assert cost_network(network).layers[-1].output == Shape(5 + 5, 4, 4)
    round_trip(network)


def test_import_round_trips_yaml_and_json(tmp_path: Path) -> None:
    path = str(DATA / "tiny.onnx")
    network = read_network(path).network
    for format_ in ("yaml", "json"):
        [spec] = load_text(spec_text(network, format_), f"tiny.{format_}")
        assert spec.network.nodes == network.nodes
        assert spec.network.input == network.input
        assert cost_network(spec.network) == cost_network(network)._replace(network=spec.network)


def test_costing_the_imported_spec_equals_costing_the_onnx_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tiny.yaml"
    assert main(["import", str(DATA / "tiny.onnx"), "-o", str(out)]) == 0
    assert main(["network", str(out), "--format", "json"]) == 0
    from_spec = json.loads(capsys.readouterr().out)
    assert main(["network", str(DATA / "tiny.onnx"), "--format", "json"]) == 0
    from_onnx = json.loads(capsys.readouterr().out)
    for result in (from_spec, from_onnx):
        for network in result["networks"]:
            network.pop("file")
    assert from_spec == from_onnx
    # hand arithmetic: stem 16·27 + 16 = 448; separable 16·9 + 16 + 16·16 + 16 = 432; head 32·144 + 32 = 4640;
    # fc 32·10 + 10 = 330
    assert from_onnx["networks"][0]["totals"]["params"] == 448 + 432 + 4640 + 330


def test_import_writes_json_and_takes_the_input_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(DATA / "tiny.onnx"), "--format", "json", "--input", "3x64x64", "--strict"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["input"] == [3, 64, 64]
    assert data["layers"][0] == {"name": "stem/conv", "type": "conv", "out": 16, "kernel": 3, "stride": 2,
                                 "padding": 1, "bias": True}  # fmt: skip


def test_an_input_of_no_fixed_size_needs_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], "conv")]
    path = save(tmp_path, nodes, [weight("w", [4, 3, 1, 1])], ["N", 3, "H", "W"])
    assert main(["network", path]) == 2
    assert capsys.readouterr().err == f"{path}: input: input x is N×3×H×W, its size not fixed: give --input CxHxW\n"
    assert layers(path, input=Shape(3, 8, 8)) == [("conv", "pointwise", 12, 12 * 64, Shape(4, 8, 8))]


def test_an_op_not_understood_is_refused_and_allow_unknown_costs_it_as_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], "conv"),
        helper.make_node("Softplus", ["c"], ["s"], "softplus"),
        helper.make_node("Softplus", ["s"], ["y"], "softplus2"),
    ]
    path = save(tmp_path, nodes, [weight("w", [4, 3, 1, 1])], [1, 3, 4, 4])
    assert main(["network", path, "--format", "csv"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"{path}: 2 ops not understood: Softplus ×2 (first: node softplus (Softplus)). dsc-cost costs only the ops it"
        " understands (docs/onnx.md lists them); --allow-unknown costs these as nothing and marks the result"
        " approximate\n"
    )
    assert main(["import", path, "--strict"]) == 2  # --strict: kept, what every read does
    assert "2 ops not understood" in capsys.readouterr().err
    assert main(["network", path, "--format", "csv", "--allow-unknown"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"dsc-cost: warning: {path}: 2 ops not understood (Softplus ×2) costed as nothing (--allow-unknown): the"
        " result is approximate\n"
    )
    assert "conv" in captured.out
    assert main(["import", path, "--strict", "--allow-unknown"]) == 2


def _model_bytes(tmp_path: Path) -> bytes:
    return (DATA / "tiny.onnx").read_bytes()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("empty", "the file is empty: expected an ONNX model"),
        ("truncated", "not an ONNX model: it ends too soon (truncated?)"),
        ("random", "not an ONNX model: "),
        ("yaml", "not an ONNX model: "),
        ("missing", "node conv (Conv): reads the tensor 'nowhere', which no node makes"),
        ("cycle", "the graph has a cycle: this node reads its own output through others"),
    ],
)
def test_bad_files_are_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    path = tmp_path / f"{case}.onnx"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "truncated":
        path.write_bytes(_model_bytes(tmp_path)[:-100])
    elif case == "random":
        import random

        path.write_bytes(random.Random(12).randbytes(4096))
    elif case == "yaml":
        path.write_text("name: tiny\ninput: [3, 32, 32]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n")
    elif case == "missing":
        nodes = [
            helper.make_node("Conv", ["x", "w"], ["c"], "conv"),
            helper.make_node("Add", ["c", "nowhere"], ["y"], "add"),
        ]
        nodes[0].input[0] = "nowhere"
        path = Path(save(tmp_path, nodes, [weight("w", [4, 3, 1, 1])], [1, 3, 4, 4], "missing"))
    else:
        nodes = [
            helper.make_node("Relu", ["b"], ["a"], "first"),
            helper.make_node("Add", ["a", "x"], ["b"], "second"),
            helper.make_node("Relu", ["b"], ["y"], "third"),
        ]
        path = Path(save(tmp_path, nodes, [], [1, 3, 4, 4], "cycle"))
    for command in ("network", "import", "check"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"{path}: ") and message in err, err
        assert "Traceback" not in err


def test_without_the_onnx_package_one_line_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx raises ImportError
    path = str(DATA / "tiny.onnx")
    assert main(["network", path]) == 2
    assert capsys.readouterr().err == f"{path}: reading ONNX needs the onnx package: pip install 'dsc-cost[onnx]'\n"
    with pytest.raises(SpecError):
        load_files([path])


def test_the_weights_are_never_read() -> None:
    """tests/data/tiny.onnx declares its weights as external data that is not there: costing reads shapes only."""
    assert not (DATA / "tiny.weights").exists()
    assert cost_network(read_network(str(DATA / "tiny.onnx")).network).total.params == 5850


def test_every_truncation_and_damaged_byte_is_a_located_problem_or_a_network(tmp_path: Path) -> None:
    """Every prefix of tests/data/tiny.onnx, and copies with bytes changed, read as a network or refused with
    problems naming the file (one line each: a changed byte may damage two values): never another error."""
    import random

    data = (DATA / "tiny.onnx").read_bytes()
    rng = random.Random(7)
    cases = [data[:n] for n in range(len(data))]
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randrange(1, 5)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cases.append(bytes(damaged))
    path = tmp_path / "case.onnx"
    for case in cases:
        path.write_bytes(case)
        try:
            cost_network(read_network(str(path)).network)
        except SpecError as error:
            assert error.problems and all(str(p).startswith(f"{path}: ") for p in error.problems)
            assert str(error).count("\n") == len(error.problems) - 1


def test_conv_transpose_slice_of_channels_and_resize_to_a_size(tmp_path: Path) -> None:
    nodes = [
        # 8 → 4, 4×4, stride 2, pads 1 on 5×5: (5 − 1)·2 − 2 + 4 = 10; weights 8·4·16 = 512, one per input position
        helper.make_node("ConvTranspose", ["x", "w", "b"], ["t"], "up", strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Slice", ["t", "starts", "ends", "axes"], ["s"], "slice"),  # channels 1..3 of 4
        helper.make_node("Resize", ["s", "", "", "sizes"], ["y"], "resize", mode="linear"),
    ]
    inits = [weight("w", [8, 4, 4, 4]), weight("b", [4]), ints("starts", [1]), ints("ends", [3]), ints("axes", [1])]
    inits.append(ints("sizes", [1, 2, 15, 15]))
    got = layers(save(tmp_path, nodes, inits, [1, 8, 5, 5]))
    assert got[0] == ("up", "convtranspose", 512 + 4, 512 * 25, Shape(4, 10, 10))
    # channels 1..3 of 4: a split of 1 + 2 + 1, its part 1 read (the split's own row shows its part 0)
    assert [(n, t, s) for n, t, _, _, s in got[1:]] == [
        ("slice", "split", Shape(1, 10, 10)),
        ("resize", "upsample", Shape(2, 15, 15)),
    ]
    network = read_network(str(tmp_path / "m.onnx")).network
    assert network.nodes[1].layer == SplitLayer((1, 2, 1))
    assert network.nodes[-1].inputs == ("slice.1",)
    assert network.nodes[-1].layer.mode == "bilinear"  # type: ignore[attr-defined]
    round_trip(network)


def test_a_bad_input_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(DATA / "tiny.onnx"), "--input", "3x224"]) == 2
    assert "Invalid value for '--input': expected CxHxW of whole numbers ≥ 1, such as 3x224x224, found '3x224'" in (
        capsys.readouterr().err
    )


def test_an_import_that_cannot_be_written_leaves_the_old_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing" / "tiny.yaml"
    assert main(["import", str(DATA / "tiny.onnx"), "-o", str(missing)]) == 2
    assert capsys.readouterr().err == f"{missing}: cannot write the spec: No such file or directory\n"
    out = tmp_path / "tiny.yaml"
    out.write_text("the old spec\n")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    assert main(["import", str(DATA / "tiny.onnx"), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"{out}: cannot write the spec: No space left on device\n"
    assert out.read_text() == "the old spec\n" and [p.name for p in tmp_path.iterdir()] == ["tiny.yaml"]


def test_a_depthwise_conv_pairs_with_its_1x1_conv_through_a_squeeze_excitation_gate(tmp_path: Path) -> None:
    """EfficientNet's block as exported: depthwise, SiLU (x·sigmoid(x)), an SE gate multiplied in, the 1×1 projection:
    one separable pair as standard (dsc_cost.pairs), the layers between keeping their own costs."""
    nodes = [
        helper.make_node("Conv", ["x", "dw"], ["d"], "dw", pads=[1, 1, 1, 1], group=8),
        helper.make_node("Sigmoid", ["d"], ["ds"], "sigmoid"),
        helper.make_node("Mul", ["d", "ds"], ["a"], "silu"),
        helper.make_node("GlobalAveragePool", ["a"], ["m"], "squeeze"),
        helper.make_node("Conv", ["m", "f1", "f1b"], ["f"], "fc1"),
        helper.make_node("Relu", ["f"], ["fr"], "relu"),
        helper.make_node("Conv", ["fr", "f2", "f2b"], ["g"], "fc2"),
        helper.make_node("Sigmoid", ["g"], ["gs"], "gate"),
        helper.make_node("Mul", ["a", "gs"], ["e"], "excite"),
        helper.make_node("Conv", ["e", "pw", "pb"], ["y"], "project"),
    ]
    inits = [weight("dw", [8, 1, 3, 3]), weight("f1", [2, 8, 1, 1]), weight("f1b", [2]), weight("f2", [8, 2, 1, 1])]
    inits += [weight("f2b", [8]), weight("pw", [16, 8, 1, 1]), weight("pb", [16])]
    result = cost_network(read_network(save(tmp_path, nodes, inits, [1, 8, 10, 10])).network)
    rows = {layer.name: layer for layer in result.layers}
    assert (rows["dw"].type, rows["project"].type) == ("depthwise", "pointwise")
    assert (rows["dw"].pair, rows["project"].pair) == ("project", "dw")
    # as standard: a 3×3 conv 8 → 16 with the projection's bias, 8·16·9 + 16 = 1,168 params, 1,152·100 mults
    assert rows["dw"].standard.params == 1_168 and rows["dw"].standard.mults == 115_200
    assert rows["project"].standard.params == rows["project"].standard.mults == 0
    # the gate keeps its own: 8·2 + 2 and 2·8 + 8 params, 16 + 16 mults
    assert result.standard.params == 1_168 + 18 + 24 and result.standard.mults == 115_200 + 32


def test_a_depthwise_conv_pairs_with_the_matmul_over_its_channels(tmp_path: Path) -> None:
    """ConvNeXt's block as exported: a 7×7 depthwise conv, permute, layer-norm, MatMul + Add over the channels."""
    nodes = [
        helper.make_node("Conv", ["x", "dw", "db"], ["d"], "dw", pads=[3, 3, 3, 3], group=8),
        helper.make_node("Transpose", ["d"], ["t"], "perm", perm=[0, 2, 3, 1]),
        helper.make_node("LayerNormalization", ["t", "g", "b"], ["n"], "norm", axis=-1),
        helper.make_node("MatMul", ["n", "w1"], ["m1"], "fc1"),
        helper.make_node("Add", ["m1", "b1"], ["h"], "fc1_bias"),
        helper.make_node("Relu", ["h"], ["r"], "act"),
        helper.make_node("MatMul", ["r", "w2"], ["y"], "fc2"),
    ]
    inits = [weight("dw", [8, 1, 7, 7]), weight("db", [8]), weight("g", [8]), weight("b", [8])]
    inits += [weight("w1", [8, 32]), weight("b1", [32]), weight("w2", [32, 8])]
    result = cost_network(read_network(save(tmp_path, nodes, inits, [1, 8, 5, 5])).network)
    rows = {layer.name: layer for layer in result.layers}
    assert (rows["dw"].pair, rows["fc1"].pair, rows["fc2"].pair) == ("fc1", "dw", "")
    # as standard: a 7×7 conv 8 → 32 with fc1's bias, 8·32·49 + 32 = 12,576 params, 12,544 · 25 mults
    assert (rows["dw"].standard.params, rows["dw"].standard.mults) == (12_576, 12_544 * 25)


# ---------------------------------------------------------------- hostile graphs: every value checked where it is read


def _problems(path: str, *args: str) -> list[str]:
    """The lines of ``dsc-cost network PATH`` refused (exit 2, nothing on standard output), the path cut off."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["network", path, *args])
    assert code == 2 and out.getvalue() == "" and "Traceback" not in err.getvalue(), (code, err.getvalue())
    return [line.removeprefix(f"{path}: ") for line in err.getvalue().splitlines()]


def _negative_weight() -> TensorProto:
    tensor = TensorProto(name="w", data_type=TensorProto.FLOAT)
    tensor.dims.extend([-4, 3, 3, 3])  # helper.make_tensor refuses it: written by hand
    return tensor


@pytest.mark.parametrize(
    ("nodes", "inits", "expected"),
    [
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c")], [_negative_weight()],
            "initializer w: dims: expected sizes ≥ 0, found [-4, 3, 3, 3]",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c", group=-1)], [weight("w", [4, 3, 3, 3])],
            "node c (Conv): group: expected a positive integer, found -1",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c", group=2.0)], [weight("w", [4, 3, 3, 3])],
            "node c (Conv): group: expected an integer, found a float",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c", strides=[0, 1])], [weight("w", [4, 3, 3, 3])],
            "node c (Conv): strides: expected positive integers, found [0, 1]",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c", pads=[-1, 0, 0, 0])], [weight("w", [4, 3, 3, 3])],
            "node c (Conv): pads: expected non-negative integers, found [-1, 0, 0, 0]",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c", auto_pad="BOTH")], [weight("w", [4, 3, 3, 3])],
            "node c (Conv): auto_pad: expected NOTSET, SAME_UPPER, SAME_LOWER or VALID, found the string 'BOTH'",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], "c")], [weight("w", [0, 3, 3, 3])],
            "node c (Conv): input 1 (w): expected a weight whose dims are each at least 1, found [0, 3, 3, 3]",
        ),
        (
            [helper.make_node("Resize", ["x", "", "s"], ["y"], "r")],
            [helper.make_tensor("s", TensorProto.FLOAT, [4], [1, 1, float("inf"), 2])],
            "node r (Resize): scales: expected finite numbers above 0, found [1.0, 1.0, inf, 2.0]",
        ),
        (
            [helper.make_node("Resize", ["x", "", "s"], ["y"], "r")],
            [helper.make_tensor("s", TensorProto.FLOAT, [4], [1, 1, -2, -2])],
            "node r (Resize): scales: expected finite numbers above 0, found [1.0, 1.0, -2.0, -2.0]",
        ),
        (
            # 8 × 0.1 = 0.8: no row left
            [helper.make_node("Resize", ["x", "", "s"], ["y"], "r")],
            [helper.make_tensor("s", TensorProto.FLOAT, [4], [1, 1, 0.1, 1])],
            "node r (Resize): scales: expected scales that leave at least 1×1, found [1.0, 1.0, 0.10000000149011612,"
            " 1.0], which makes 8×8 0×8",
        ),
        (
            [helper.make_node("Upsample", ["x"], ["y"], "u", scales=[1.0, 1.0, float("nan"), 2.0])], [],
            "node u (Upsample): scales: expected finite numbers above 0, found [1.0, 1.0, nan, 2.0]",
        ),
        (
            [helper.make_node("Concat", ["x", "x"], ["y"], "cat", axis=10**18)], [],
            "node cat (Concat): axis: expected an axis from -4 to 3 (of a 4-D tensor), found 1000000000000000000",
        ),
        (
            [helper.make_node("Flatten", ["x"], ["y"], "f", axis=-5)], [],
            "node f (Flatten): axis: expected an axis from -4 to 4 (of a 4-D tensor), found -5",
        ),
        (
            [helper.make_node("GroupNormalization", ["x", "g", "b"], ["y"], "gn", num_groups=0)],
            [weight("g", [3]), weight("b", [3])],
            "node gn (GroupNormalization): num_groups: expected a positive integer, found 0",
        ),
        (
            # float indices into the input's shape
            [
                helper.make_node("Shape", ["x"], ["s"], "shape"),
                helper.make_node("Gather", ["s", "i"], ["g"], "gather"),
                helper.make_node("Reshape", ["x", "g"], ["y"], "reshape"),
            ],
            [helper.make_tensor("i", TensorProto.FLOAT, [2], [0, float("inf")])],
            "node gather (Gather): indices: expected whole numbers (int64), found [0.0, inf]",
        ),
    ],
    ids=[
        "negative-dims", "group-negative", "group-float", "strides-zero", "pads-negative", "auto-pad", "weight-zero",
        "resize-inf", "resize-negative", "resize-to-nothing", "upsample-nan", "concat-axis", "flatten-axis",
        "num-groups", "gather-float",
    ],
)  # fmt: skip
def test_a_value_no_valid_model_has_is_a_problem_at_its_node_and_attribute(
    tmp_path: Path, nodes: list[Any], inits: list[TensorProto], expected: str
) -> None:
    """Each value is checked where it is read: a located problem, exit 2, nothing costed (never negative params,
    never a traceback)."""
    assert _problems(save(tmp_path, nodes, inits, [1, 3, 8, 8])) == [expected]


def test_every_problem_of_a_graph_is_said_at_once_and_what_follows_a_bad_node_is_not(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["a"], "first", group=0),
        helper.make_node("Relu", ["a"], ["b"], "after_first"),  # reads a bad node's output: not read, no warning
        helper.make_node("Conv", ["x", "w"], ["c"], "second", kernel_shape=[3, -3]),
        helper.make_node("Add", ["b", "c"], ["y"], "add"),
    ]
    path = save(tmp_path, nodes, [weight("w", [4, 3, 3, 3])], [1, 3, 8, 8])
    assert _problems(path) == [
        "node first (Conv): group: expected a positive integer, found 0",
        "node second (Conv): kernel_shape: expected positive integers, found [3, -3]",
    ]
    assert not list(tmp_path.glob("*.yaml"))


def test_check_refuses_a_graph_of_negative_dims_and_import_writes_no_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: a weight of dims (-4, 3, 3, 3) was costed as -108 params, and check --max-params 1 passed."""
    path = save(tmp_path, [helper.make_node("Conv", ["x", "w"], ["y"], "c")], [_negative_weight()], [1, 3, 8, 8])
    spec = tmp_path / "c.yaml"
    assert main(["check", path, "--max-params", "1"]) == 2
    assert main(["import", path, "-o", str(spec)]) == 2
    assert not spec.exists()
    err = capsys.readouterr().err
    assert err.count("initializer w: dims: expected sizes ≥ 0, found [-4, 3, 3, 3]") == 2


def test_every_layer_read_is_one_a_spec_takes(tmp_path: Path) -> None:
    """Whatever the graph, the layers are those a spec may hold: ``import`` writes a spec ``network`` reads."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["a"], "c", pads=[1, 1, 1, 1], strides=[2, 2], group=3),
        helper.make_node("Resize", ["a", "", "s"], ["y"], "r", mode="linear"),
    ]
    inits = [weight("w", [6, 1, 3, 3]), helper.make_tensor("s", TensorProto.FLOAT, [4], [1, 1, 1.5, 3])]
    network = read_network(save(tmp_path, nodes, inits, [1, 3, 8, 8])).network
    round_trip(network)
    # 8×8, 3×3 stride 2 pad 1: 4×4; ×1.5 and ×3: 6×12
    assert [node.layer.evaluate((Shape(3, 8, 8),)).output for node in network.nodes[:1]] == [Shape(6, 4, 4)]


def test_the_layer_bound_counts_the_nodes_of_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/tiny.onnx has 11 nodes (8 layers): each node counts as one layer against --max-layers, across
    files, before any is read."""
    tiny = str(DATA / "tiny.onnx")
    assert main(["network", tiny, "--max-layers", "11", "--format", "json"]) == 0
    capsys.readouterr()
    message = (
        "the files would have more than 10 layers in all, each node of an ONNX graph counted as one"
        " (the bound of one run; --max-layers N raises it)"
    )
    assert _problems(tiny, "--max-layers", "10") == [message]
    assert main(["network", tiny, tiny, "--max-layers", "21"]) == 2
    assert "more than 21 layers in all" in capsys.readouterr().err
    with pytest.raises(SpecError, match="more than 2 layers"):
        load_files([tiny], bounds=__import__("dsc_cost.spec").spec.Bounds(max_layers=2))


def test_the_size_bound_is_the_graphs_description_without_the_weights_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A model of 1 MB of weights is read under a 10,000-byte bound (its data is skipped unread); a graph whose
    nodes alone pass the bound is refused, and so is a Constant whose tensor is large only by its data... not:
    a Constant node's data is skipped as an initializer's is."""
    big = [helper.make_node("Conv", ["x", "w"], ["y"], "c")]
    path = save(tmp_path, big, [weight("w", [512, 3, 13, 13])], [1, 3, 16, 16], "weights")
    assert Path(path).stat().st_size > 1_000_000
    assert main(["network", path, "--max-file-size", "10000", "--format", "json"]) == 0
    constant = helper.make_node(
        "Constant", [], ["w"], "k", value=helper.make_tensor("v", TensorProto.FLOAT, [512, 3, 13, 13], [0.0] * 259_584)
    )
    path = save(tmp_path, [constant, *big], [], [1, 3, 16, 16], "constant")
    assert main(["network", path, "--max-file-size", "10000", "--format", "json"]) == 0
    capsys.readouterr()
    relus = [helper.make_node("Relu", [f"t{i}" if i else "x"], [f"t{i + 1}"], f"relu{i}") for i in range(1000)]
    path = save(tmp_path, relus, [], [1, 3, 4, 4], "relus")
    message = (
        "the graph, its weights' data left out, is larger than 10,000 bytes (the bound of one file;"
        " --max-file-size SIZE raises it)"
    )
    assert _problems(path, "--max-file-size", "10000") == [message]


def test_names_given_many_times_and_long_chains_are_read_in_linear_time(tmp_path: Path) -> None:
    """30,000 Relu nodes all named r (or none named) were quadratic (over 60 s): each name is made unique from
    where its base's count stopped; 20,000 chained 1×1 convs looked each layer up by a scan."""
    import time

    relus = [helper.make_node("Relu", [f"t{i}" if i else "x"], [f"t{i + 1}"], "r") for i in range(30_000)]
    path = save(tmp_path, relus, [], [1, 3, 4, 4], "relus")
    start = time.perf_counter()
    network = read_network(path).network
    seconds = time.perf_counter() - start
    assert [node.name for node in network.nodes[:3]] == ["r", "r_2", "r_3"] and network.nodes[-1].name == "r_30000"
    convs = [helper.make_node("Conv", [f"t{i}" if i else "x", "w"], [f"t{i + 1}"], f"c{i}") for i in range(20_000)]
    path = save(tmp_path, convs, [weight("w", [3, 3, 1, 1])], [1, 3, 4, 4], "convs")
    start = time.perf_counter()
    assert len(read_network(path).network.nodes) == 20_000
    seconds += time.perf_counter() - start
    assert seconds < 10  # about 1.5 s in all on a small machine; quadratic was minutes


def test_shape_constants_that_double_are_not_evaluated_past_a_bound(tmp_path: Path) -> None:
    """A 1.6 KB file whose shape constant doubles through 40 Concats (2⁴⁰ values) took 3.4 GB: a constant
    computed to more than 1,024 values is not evaluated (the Reshape that reads it is not understood)."""
    nodes = [helper.make_node("Shape", ["x"], ["s0"], "shape")]
    nodes += [helper.make_node("Concat", [f"s{i}", f"s{i}"], [f"s{i + 1}"], f"cat{i}", axis=0) for i in range(40)]
    nodes.append(helper.make_node("Reshape", ["x", "s40"], ["y"], "reshape"))
    imported = read_network(save(tmp_path, nodes, [], [1, 3, 4, 4]), OnnxOptions(allow_unknown=True))
    assert imported.unknown == {"Reshape": 1} and imported.network.nodes == ()


def test_slices_of_one_output_into_many_runs_stay_one_split_up_to_a_bound(tmp_path: Path) -> None:
    """Slices taken from the last channels down renumber every part already read: only the split's readers are
    renamed, and a split made of Slices has at most 64 parts (the next Slice starts another)."""
    nodes, inits = [], []
    for i in reversed(range(100)):
        inits += [ints(f"lo{i}", [i]), ints(f"hi{i}", [i + 1]), ints(f"ax{i}", [1])]
        nodes.append(helper.make_node("Slice", ["x", f"lo{i}", f"hi{i}", f"ax{i}"], [f"s{i}"], f"slice{i}"))
    nodes.append(helper.make_node("Concat", [f"s{i}" for i in range(100)], ["y"], "cat", axis=1))
    network = read_network(save(tmp_path, nodes, inits, [1, 100, 2, 2])).network
    splits = [node for node in network.nodes if node.type == "split"]
    # slices 99 down to 37 are one split of 64 parts (channels 0–36 one part, then 37, 38, …, 99 one each); slice 36
    # would make it 65: slices 36 down to 0 are a second split of 38 parts (0, 1, …, 36, then 37–99 unread)
    assert [len(node.layer.outputs(Shape(100, 2, 2))) for node in splits] == [64, 38]
    concat = network.nodes[-1]
    assert concat.type == "concat" and len(concat.inputs) == 100
    assert cost_network(network).layers[-1].output == Shape(100, 2, 2)
    round_trip(network)


def test_an_input_size_beyond_int64_or_in_other_digits_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    tiny = str(DATA / "tiny.onnx")
    for text in ["3x" + "9" * 5000 + "x8", "3x9223372036854775808x8", "³x8x8", "3x٨x8"]:
        assert main(["network", tiny, "--input", text]) == 2
        err = capsys.readouterr().err
        assert "Invalid value for '--input'" in err and "Traceback" not in err
    assert main(["network", tiny, "--input", "3x9223372036854775807x8", "--format", "json"]) == 0
