"""The ops exporters emit around the convs (issue 24's list): Pad, Einsum's channel contractions, Resize's modes, and
recurrent layers refused. Each on a tiny graph built here with onnx.helper, every count by hand arithmetic beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402
from test_onnx import ints, save, weight  # noqa: E402  (the graph builders of the ONNX reader's tests)

from dsc_cost.cli import main  # noqa: E402
from dsc_cost.errors import SpecError  # noqa: E402
from dsc_cost.formulas import Shape  # noqa: E402
from dsc_cost.network import cost_network  # noqa: E402
from dsc_cost.onnx import read_network  # noqa: E402


def layers(path: str) -> list[tuple[str, str, int, int, Shape]]:
    """(name, type, params, mults, output) of each layer of the costed ONNX file."""
    result = cost_network(read_network(path).network)
    return [(layer.name, layer.type, layer.cost.params, layer.cost.mults, layer.output) for layer in result.layers]


def refused(path: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The message of ``network`` on ``path``, which must refuse it (exit 2, nothing on stdout)."""
    code = main(["network", path])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    return captured.err


# ---------------------------------------------------------------- Pad


def test_pad_before_a_conv_is_a_pad_layer_and_the_conv_is_costed_on_the_padded_map(tmp_path: Path) -> None:
    nodes = [
        # TF's SAME before a stride-2 3×3 conv: one row and one column after, 15×15 → 16×16
        helper.make_node("Pad", ["x", "pads"], ["p"], "pad"),
        # 3→8, 3×3, stride 2, no pads: (16 − 3) // 2 + 1 = 7
        helper.make_node("Conv", ["p", "w"], ["c"], "conv", strides=[2, 2]),
        # reflect, H and W only (axes): one each side, 7×7 → 9×9
        helper.make_node("Pad", ["c", "ones", "", "axes"], ["y"], "mirror", mode="reflect"),
    ]
    inits = [ints("pads", [0, 0, 0, 0, 0, 0, 1, 1]), weight("w", [8, 3, 3, 3]), ints("ones", [1, 1, 1, 1])]
    inits.append(ints("axes", [-2, -1]))
    assert layers(save(tmp_path, nodes, inits, [1, 3, 15, 15])) == [
        ("pad", "pad", 0, 0, Shape(3, 16, 16)),
        ("conv", "conv", 216, 216 * 49, Shape(8, 7, 7)),  # 8·3·9 = 216 weights at 7·7 positions: 10,584 mults
        ("mirror", "pad", 0, 0, Shape(8, 9, 9)),  # reflect costs what constant does: nothing
    ]
    network = read_network(save(tmp_path, nodes, inits, [1, 3, 15, 15])).network
    assert [(n.layer.before, n.layer.after, n.layer.mode) for n in network.nodes if n.type == "pad"] == [
        ((0, 0), (1, 1), "constant"),
        ((1, 1), (1, 1), "reflect"),
    ]


def test_pad_of_opset_10_reads_its_attribute_and_pads_of_0_are_nothing(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Pad", ["x"], ["p"], "edge", mode="edge", pads=[0, 0, 2, 0, 0, 0, 0, 3]),
        helper.make_node("Pad", ["p"], ["y"], "none", pads=[0] * 8),
    ]
    # 4×5×5: two rows before, three columns after: 4×7×8; the second Pad pads nothing, no layer
    assert layers(save(tmp_path, nodes, [], [1, 4, 5, 5], opset=10)) == [("edge", "pad", 0, 0, Shape(4, 7, 8))]


@pytest.mark.parametrize(
    ("pads", "reason"),
    [([0, 1, 0, 0, 0, 1, 0, 0], "a pad of the batch or the channels"), ([0, 0, -1, 0, 0, 0, 0, 0], "a negative pad")],
)
def test_a_pad_of_the_channels_or_a_crop_is_not_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pads: list[int], reason: str
) -> None:
    path = save(tmp_path, [helper.make_node("Pad", ["x", "pads"], ["y"], "p")], [ints("pads", pads)], [1, 4, 5, 5])
    assert f"Pad ×1 (first: node p (Pad): {reason}" in refused(path, capsys)


def test_a_pad_mode_onnx_does_not_have_is_a_located_problem(tmp_path: Path) -> None:
    nodes = [helper.make_node("Pad", ["x", "pads"], ["y"], "p", mode="mirror")]
    with pytest.raises(SpecError, match=r"node p \(Pad\): mode: expected constant, reflect, edge or wrap, found"):
        read_network(save(tmp_path, nodes, [ints("pads", [0] * 8)], [1, 4, 5, 5]))


# ---------------------------------------------------------------- Einsum


def test_einsum_over_the_channels_is_a_pointwise_conv_or_a_linear_layer_at_every_position(tmp_path: Path) -> None:
    nodes = [
        # N×C×H×W by [out, in]: a 1×1 conv 8→16 on 4×4, 16·8 = 128 weights at 16 positions: 2,048 mults
        helper.make_node("Einsum", ["x", "w1"], ["a"], "mix", equation="bchw,oc->bohw"),
        # the matrix first: 16→4, 4·16 = 64 weights, 64·16 = 1,024 mults
        helper.make_node("Einsum", ["w2", "a"], ["b"], "first", equation="oc, bchw -> bohw"),
        helper.make_node("Transpose", ["b"], ["t"], "nhwc", perm=[0, 2, 3, 1]),
        # channels last by [in, out]: a linear layer 4→6 at each of the 16 positions, 24 weights, 384 mults
        helper.make_node("Einsum", ["t", "w3"], ["y"], "last", equation="nhwc,cd->nhwd"),
    ]
    inits = [weight("w1", [16, 8]), weight("w2", [4, 16]), weight("w3", [4, 6])]
    assert layers(save(tmp_path, nodes, inits, [1, 8, 4, 4])) == [
        ("mix", "pointwise", 128, 128 * 16, Shape(16, 4, 4)),
        ("first", "pointwise", 64, 64 * 16, Shape(4, 4, 4)),
        ("last", "linear", 24, 24 * 16, Shape(6, 4, 4)),
    ]


def test_einsum_on_features_is_a_linear_layer(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], "flat"),
        # N×32 features (2×4×4) by [out, in] 10×32: 320 weights, 320 mults
        helper.make_node("Einsum", ["f", "w"], ["y"], "fc", equation="bc,oc->bo"),
    ]
    assert layers(save(tmp_path, nodes, [weight("w", [10, 32])], [1, 2, 4, 4])) == [
        ("fc", "linear", 320, 320, Shape(10, 1, 1))
    ]


@pytest.mark.parametrize(
    ("equation", "dims"),
    [
        ("bchw,oc->bhwo", [16, 8]),  # the output in another layout
        ("bchw,hw->bc", [4, 4]),  # a contraction of the map
        ("bchw,oc", [16, 8]),  # no explicit output
        ("...chw,oc->...ohw", [16, 8]),  # an ellipsis
    ],
)
def test_any_other_einsum_is_not_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], equation: str, dims: list[int]
) -> None:
    nodes = [helper.make_node("Einsum", ["x", "w"], ["y"], "e", equation=equation)]
    path = save(tmp_path, nodes, [weight("w", dims)], [1, 8, 4, 4])
    assert "Einsum ×1 (first: node e (Einsum): an equation that is not" in refused(path, capsys)


def test_an_einsum_matrix_that_does_not_fit_the_channels_is_a_located_problem(tmp_path: Path) -> None:
    nodes = [helper.make_node("Einsum", ["x", "w"], ["y"], "e", equation="bchw,oc->bohw")]
    message = r"node e \(Einsum\): input 1 \(w\): expected a matrix of 8 in channels \('c'\) and at least 1 out"
    with pytest.raises(SpecError, match=message):
        read_network(save(tmp_path, nodes, [weight("w", [16, 5])], [1, 8, 4, 4]))


# ---------------------------------------------------------------- Resize and Upsample


def test_resize_of_the_spatial_axes_given_by_axes_is_an_upsample(tmp_path: Path) -> None:
    nodes = [
        # opset 18's axes: sizes of H and W only, 4×4 → 8×6, linear: bilinear, 4 other ops per output element
        helper.make_node("Resize", ["x", "", "", "hw"], ["a"], "sized", mode="linear", axes=[2, 3]),
        # scales of W alone (H's is 1): 8×6 → 8×12, nearest
        helper.make_node("Resize", ["a", "", "w2"], ["y"], "scaled", mode="nearest", axes=[-1]),
    ]
    inits = [ints("hw", [8, 6]), helper.make_tensor("w2", TensorProto.FLOAT, [1], [2.0])]
    result = cost_network(read_network(save(tmp_path, nodes, inits, [1, 3, 4, 4])).network)
    assert [(layer.name, layer.type, layer.output) for layer in result.layers] == [
        ("sized", "upsample", Shape(3, 8, 6)),
        ("scaled", "upsample", Shape(3, 8, 12)),
    ]
    # other ops: 4 · 3·8·6 = 576 (bilinear) + 1 · 3·8·12 = 288 (nearest)
    assert [layer.other_ops for layer in result.layers] == [576, 288]
    assert result.total.params == result.total.mults == 0


@pytest.mark.parametrize(
    ("op", "attributes", "inputs", "inits", "reason"),
    [
        # cubic (Resize and Upsample): a weighted sum of 4×4 taps dsc-cost has no count for, refused
        ("Resize", {"mode": "cubic"}, ["x", "", "s"], [("s", [1.0, 1.0, 2.0, 2.0])], "mode 'cubic' (nearest and"),
        ("Upsample", {"mode": "cubic"}, ["x", "s"], [("s", [1.0, 1.0, 2.0, 2.0])], "mode 'cubic' (nearest and"),
        # a resize that doubles the channels
        ("Resize", {}, ["x", "", "s"], [("s", [1.0, 2.0, 2.0, 2.0])], "a resize of the batch or the channels"),
        # antialiased linear downscaling: a wider filter
        ("Resize", {"mode": "linear", "antialias": 1}, ["x", "", "s"], [("s", [1.0, 1.0, 0.5, 0.5])], "antialias"),
    ],
)
def test_resize_modes_and_forms_without_a_count_are_not_understood(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    op: str,
    attributes: dict[str, Any],
    inputs: list[str],
    inits: list[tuple[str, list[float]]],
    reason: str,
) -> None:
    tensors = [helper.make_tensor(name, TensorProto.FLOAT, [len(v)], v) for name, v in inits]
    nodes = [helper.make_node(op, inputs, ["y"], "r", **attributes)]
    path = save(tmp_path, nodes, tensors, [1, 4, 8, 8], opset=9 if op == "Upsample" else 18)
    assert f"{op} ×1 (first: node r ({op}): {reason}" in refused(path, capsys)


def test_a_sized_resize_that_keeps_the_aspect_ratio_is_not_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [
        helper.make_node("Resize", ["x", "", "", "hw"], ["y"], "r", axes=[2, 3], keep_aspect_ratio_policy="not_larger")
    ]
    path = save(tmp_path, nodes, [ints("hw", [16, 8])], [1, 4, 8, 8])
    assert "Resize ×1 (first: node r (Resize): an aspect-ratio policy other than stretch" in refused(path, capsys)


# ---------------------------------------------------------------- recurrent layers


@pytest.mark.parametrize(("op", "gates"), [("LSTM", 4), ("GRU", 3), ("RNN", 1)])
def test_recurrent_layers_are_refused_as_ops_not_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], op: str, gates: int
) -> None:
    """A conv's map read as a sequence (8 steps of 3·8 = 24 features) by a recurrent layer of 5 hidden units: no
    handler, so the standard refusal (exit 2), and with --allow-unknown the conv alone, marked approximate."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], "conv"),  # 3→3, 1×1: 9 weights, 9·64 = 576 mults
        helper.make_node("Reshape", ["c", "steps"], ["s"], "seq"),  # 3×8×8 → 8 × 1 × 24
        helper.make_node(op, ["s", "W", "R"], ["y"], "rnn", hidden_size=5),
    ]
    inits = [weight("w", [3, 3, 1, 1]), ints("steps", [8, 1, 24])]
    inits += [weight("W", [1, gates * 5, 24]), weight("R", [1, gates * 5, 5])]
    path = save(tmp_path, nodes, inits, [1, 3, 8, 8])
    assert refused(path, capsys) == (
        f"{path}: 1 op not understood: {op} ×1 (first: node rnn ({op})). dsc-cost costs only the ops it"
        " understands (docs/onnx.md lists them); --allow-unknown costs these as nothing and marks the result"
        " approximate\n"
    )
    code = main(["network", path, "--allow-unknown", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0 and f"1 op not understood ({op} ×1) costed as nothing (--allow-unknown)" in captured.err
    assert '"params": 9' in captured.out and '"mults": 576' in captured.out
