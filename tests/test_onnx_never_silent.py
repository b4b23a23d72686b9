"""ONNX graphs are never costed silently wrong: shapes checked against the file's own, weights against the channels
they meet, ops not understood refused (or, with --allow-unknown, costed as nothing and marked approximate in every
format), weights read by several layers counted per use or once, never silently. Graphs built with onnx.helper;
every expected count is hand arithmetic written beside it."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402
from test_onnx import save, weight  # noqa: E402  (the graph builders of the ONNX reader's tests)

from dsc_cost.cli import main  # noqa: E402
from dsc_cost.formulas import Shape  # noqa: E402
from dsc_cost.onnx import HANDLERS, OnnxOptions, read_network  # noqa: E402
from dsc_cost.spec import cost_specs, load_text  # noqa: E402

ROOT = Path(__file__).parent.parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------- the case: DepthToSpace


def pixel_shuffle_graph(tmp_path: Path) -> str:
    """16×8×8 → DepthToSpace(2) → 4×16×16 → 3×3 conv of 8 outputs (pads 1): 8·4·9 = 288 params, no bias."""
    nodes = [
        helper.make_node("DepthToSpace", ["x"], ["d"], "d2s", blocksize=2, mode="CRD"),
        helper.make_node("Conv", ["d", "w"], ["y"], "conv", pads=[1, 1, 1, 1]),
    ]
    return save(tmp_path, nodes, [weight("w", [8, 4, 3, 3])], [1, 16, 8, 8])


def test_depth_to_space_is_a_pixelshuffle_and_the_conv_after_it_is_costed_on_its_true_input(tmp_path: Path) -> None:
    network = read_network(pixel_shuffle_graph(tmp_path)).network
    assert [(n.name, n.type) for n in network.nodes] == [("d2s", "pixelshuffle"), ("conv", "conv")]
    result = cost_specs([_spec(network)])[0]
    shuffle, conv = result.layers
    assert (shuffle.input, shuffle.output, shuffle.cost.params) == (Shape(16, 8, 8), Shape(4, 16, 16), 0)
    assert conv.input == Shape(4, 16, 16)
    assert conv.cost.params == 288  # 8 · 4 · 3 · 3, where the pass-through gave 8 · 16 · 9 = 1,152
    assert conv.cost.mults == 288 * 16 * 16


def test_space_to_depth_is_a_pixelunshuffle(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("SpaceToDepth", ["x"], ["s"], "s2d", blocksize=2),
        helper.make_node("Conv", ["s", "w"], ["y"], "conv"),
    ]
    network = read_network(save(tmp_path, nodes, [weight("w", [5, 12, 1, 1])], [1, 3, 8, 8])).network
    result = cost_specs([_spec(network)])[0]
    assert [layer.output for layer in result.layers] == [Shape(12, 4, 4), Shape(5, 4, 4)]
    assert result.total.params == 60  # 5 · 12, a 1×1 conv without bias


def test_pixelshuffle_and_pixelunshuffle_are_spec_layers() -> None:
    text = "name: n\ninput: [16, 8, 8]\nlayers:\n  - {type: pixelshuffle, factor: 2}\n  - {type: pixelunshuffle, factor: 4}\n"
    [result] = cost_specs(load_text(text, "n.yaml"))
    assert [layer.output for layer in result.layers] == [Shape(4, 16, 16), Shape(64, 4, 4)]
    assert result.total == (0, 0)


def _spec(network: Any) -> Any:
    from dsc_cost.spec import Spec

    return Spec(network, None, "m.onnx", 0)


# ---------------------------------------------------------------- cross-checks


def test_a_weight_whose_input_channels_are_not_the_inputs_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], "conv")]
    path = save(tmp_path, nodes, [weight("w", [4, 5, 1, 1])], [1, 3, 8, 8])
    code, out, err = run(capsys, "network", path)
    assert (code, out) == (2, "")
    assert err == (
        f"{path}: node conv (Conv): input 1 (w): expected a weight of 3 input channels in 1 group (dims [O, 3, kH, kW],"
        " O divisible by the groups), found dims [4, 5, 1, 1]\n"
    )


def test_a_linear_weight_of_the_wrong_features_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], "flatten"),
        helper.make_node("Gemm", ["f", "w"], ["y"], "fc", transB=1),
    ]
    path = save(tmp_path, nodes, [weight("w", [10, 47])], [1, 3, 4, 4])
    code, out, err = run(capsys, "network", path)
    assert (code, out) == (2, "")
    assert err == (
        f"{path}: node fc (Gemm): input 1 (w): expected a weight of 48 input features, dims [out, in] (transB 1),"
        " found dims [10, 47]\n"
    )


def test_a_shape_the_file_declares_that_is_not_the_propagated_one_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every problem at once: the declared shape of c (a 3×3 conv without pads: 6×6, declared 8×8), and a weight
    of the wrong channels further on."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], "conv"),
        helper.make_node("Relu", ["x"], ["r"], "relu"),
        helper.make_node("Conv", ["r", "v"], ["y"], "conv2"),
    ]
    infos = [helper.make_tensor_value_info("c", TensorProto.FLOAT, ["N", 4, 8, 8])]
    path = save(tmp_path, nodes, [weight("w", [4, 3, 3, 3]), weight("v", [2, 7, 1, 1])], [1, 3, 8, 8], infos=infos)
    code, out, err = run(capsys, "network", path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}: node conv (Conv): output c: the file's shape (declared or inferred) is ?×4×8×8, the shape"
        " propagated 1×4×6×6",
        f"{path}: node conv2 (Conv): input 1 (v): expected a weight of 3 input channels in 1 group (dims [O, 3, kH,"
        " kW], O divisible by the groups), found dims [2, 7, 1, 1]",
    ]


def test_input_overrides_the_files_shapes(tmp_path: Path) -> None:
    """--input changes every size: the file's shapes are not compared (they are of another input)."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], "conv"), helper.make_node("Relu", ["c"], ["y"], "relu")]
    infos = [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1, 4, 8, 8])]
    path = save(tmp_path, nodes, [weight("w", [4, 3, 1, 1])], [1, 3, 8, 8], infos=infos)
    network = read_network(path, OnnxOptions(Shape(3, 16, 16))).network
    assert network.input == Shape(3, 16, 16)


# ---------------------------------------------------------------- ops not understood


def unknown_graph(tmp_path: Path) -> str:
    """A conv (3→4, 1×1: 12 params, 12·64 = 768 mults), a Softplus (element-wise: its shape inferred, the data
    passes on), a Tile that doubles H and W (not understood, its shape not its input's: the conv after it is not
    costed)."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], "conv"),
        helper.make_node("Softplus", ["c"], ["s"], "softplus"),
        helper.make_node("Relu", ["s"], ["r"], "relu"),
        helper.make_node("Tile", ["r", "reps"], ["t"], "tile"),
        helper.make_node("Conv", ["t", "v"], ["y"], "conv2"),
    ]
    reps = helper.make_tensor("reps", TensorProto.INT64, [4], [1, 1, 2, 2])
    return save(tmp_path, nodes, [weight("w", [4, 3, 1, 1]), weight("v", [2, 4, 1, 1]), reps], [1, 3, 8, 8])


def test_unknown_ops_are_one_problem_listing_each_type_its_count_and_first_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = unknown_graph(tmp_path)
    for command in (["network"], ["import"], ["report", "-o", str(tmp_path / "r.html")], ["check"]):
        code, out, err = run(capsys, *command, path)
        assert (code, out) == (2, ""), command
        assert err == (
            f"{path}: 2 ops not understood, and 1 node after them: Softplus ×1 (first: node softplus (Softplus));"
            " Tile ×1 (first: node tile (Tile)). dsc-cost costs only the ops it understands (docs/onnx.md lists"
            " them); --allow-unknown costs these as nothing and marks the result approximate\n"
        )
    assert not (tmp_path / "r.html").exists()


def test_allow_unknown_costs_them_as_nothing_and_marks_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = unknown_graph(tmp_path)
    warning = (
        f"dsc-cost: warning: {path}: 2 ops not understood (Softplus ×1, Tile ×1), and 1 node after them, costed as"
        " nothing (--allow-unknown): the result is approximate\n"
    )
    code, out, err = run(capsys, "network", path, "--allow-unknown", "--format", "json")
    assert (code, err) == (0, warning)
    document = json.loads(out)
    assert document["approximate"] is True and document["unknown_ops"] == {"Softplus": 1, "Tile": 1}
    [net] = document["networks"]
    assert (net["approximate"], net["unknown_ops"], net["nodes_not_costed"]) == (True, {"Softplus": 1, "Tile": 1}, 1)
    assert [layer["type"] for layer in net["layers"]] == ["pointwise", "activation"]
    assert (net["totals"]["params"], net["totals"]["mults"]) == (12, 768)
    line = (
        "APPROXIMATE: 2 ops not understood (Softplus ×1, Tile ×1), and 1 node after them, costed as nothing"
        " (--allow-unknown): every figure below counts only the ops understood"
    )
    for fmt in ("table", "markdown"):
        code, out, _ = run(capsys, "network", path, "--allow-unknown", "--format", fmt)
        assert code == 0 and line in out, fmt
        assert out.index("APPROXIMATE") < out.index("conv"), fmt  # above the table
    code, out, _ = run(capsys, "network", path, "--allow-unknown", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [row["approximate"] for row in rows] == ["true", "true"]
    assert list(rows[0])[-1] == "approximate"  # the last column of CSV's layout
    code, out, _ = run(capsys, "network", path, "--allow-unknown", "--format", "csv", "--columns", "approximate,layer")
    assert code == 0 and out.splitlines()[:2] == ["approximate,layer", "true,conv"]  # a column like any other
    code, out, _ = run(capsys, "report", path, "--allow-unknown", "-o", "-")
    assert code == 0 and re.search(r"\"approximate\": ?true", out) and "approximateBanner" in out
    assert run(capsys, "check", path, "--allow-unknown", "--max-params", "1M")[0] == 0
    code, out, _ = run(capsys, "network", str(ROOT / "tests/data/tiny.onnx"), "--format", "json")
    assert code == 0 and "approximate" not in out


# ---------------------------------------------------------------- shared weights


def shared_graph(tmp_path: Path) -> str:
    """One 3×3 weight (4→4: 144 params) and one bias (4) read by two Convs: 296 params per use, 148 once."""
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], "conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["c", "w", "b"], ["y"], "conv2", pads=[1, 1, 1, 1]),
    ]
    return save(tmp_path, nodes, [weight("w", [4, 4, 3, 3]), weight("b", [4])], [1, 4, 8, 8])


def test_a_weight_read_by_two_convs_counts_per_use_by_default_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_graph(tmp_path)
    code, out, err = run(capsys, "network", path, "--format", "json")
    assert code == 0
    assert err == (
        f"dsc-cost: warning: {path}: 2 weights are read by several layers: 148 params counted once per use"
        " (--shared-weights once counts each once)\n"
    )
    [net] = json.loads(out)["networks"]
    assert [layer["params"] for layer in net["layers"]] == [148, 148]
    assert net["totals"]["params"] == 296 and net["totals"]["mults"] == 2 * 144 * 64  # mults: every use
    assert net["shared_weights"] == {"weights": 2, "counted": "per use", "params_per_use": 296, "params_once": 148}


def test_shared_weights_once_counts_each_weight_once_and_weight_bytes_follow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_graph(tmp_path)
    code, out, err = run(capsys, "network", path, "--format", "json", "--shared-weights", "once")
    assert code == 0 and "148 params counted once (--shared-weights once)" in err
    [net] = json.loads(out)["networks"]
    assert [layer["params"] for layer in net["layers"]] == [148, 0]
    assert [layer["memory"]["weight_bytes"] for layer in net["layers"]] == [148 * 4, 0]
    assert net["totals"]["params"] == 148 and net["totals"]["mults"] == 2 * 144 * 64
    assert net["shared_weights"] == {"weights": 2, "counted": "once", "params_per_use": 296, "params_once": 148}
    code, out, _ = run(capsys, "network", path, "--shared-weights", "once")
    assert code == 0 and "shared weights: 2 weights are read by several layers, their params counted once" in out


def test_a_shared_bias_alone_is_taken_off_the_what_ifs_too(tmp_path: Path) -> None:
    """Two 3×3 convs of their own weights (4→4: 144 each) and one merged bias (4, the zeros an exporter stores
    once): once, the second conv is 144 params, and 144 as standard; as separable 4·9 + 4·4 = 52."""
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], "conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["c", "v", "b"], ["y"], "conv2", pads=[1, 1, 1, 1]),
    ]
    path = save(tmp_path, nodes, [weight("w", [4, 4, 3, 3]), weight("v", [4, 4, 3, 3]), weight("b", [4])], [1, 4, 8, 8])
    network = read_network(path, OnnxOptions(shared_weights="once")).network
    result = cost_specs([_spec(network)])[0]
    second = result.layers[1]
    assert (second.cost.params, second.standard.params, second.separable.params) == (144, 144, 52)
    assert result.total.params == 148 + 144


# ---------------------------------------------------------------- the op table


def test_every_handler_has_a_row_of_the_docs_op_table() -> None:
    text = (ROOT / "docs/onnx.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (\w+) \|", text, re.MULTILINE))
    missing = [op for op in HANDLERS if op not in rows]
    assert not missing, f"ops without a row in docs/onnx.md (run cog): {missing}"
    assert all(handler.costs for handler in HANDLERS.values())


def test_a_weight_shared_through_identity_nodes_is_one_weight(tmp_path: Path) -> None:
    """The legacy exporter stores equal constants once and gives each reader an Identity of it (ResNet-50's zero
    biases): a bias of 4 read by two Convs through two Identities is one weight read twice."""
    nodes = [
        helper.make_node("Identity", ["b"], ["b1"], "id1"),
        helper.make_node("Identity", ["b"], ["b2"], "id2"),
        helper.make_node("Conv", ["x", "w", "b1"], ["c"], "conv1"),
        helper.make_node("Conv", ["c", "v", "b2"], ["y"], "conv2"),
    ]
    path = save(tmp_path, nodes, [weight("w", [4, 4, 1, 1]), weight("v", [4, 4, 1, 1]), weight("b", [4])], [1, 4, 2, 2])
    per_use = read_network(path).network
    assert per_use.notes is not None and (per_use.notes.shared_weights, per_use.notes.shared_params) == (1, 4)
    assert cost_specs([_spec(per_use)])[0].total.params == 2 * (16 + 4)
    once = read_network(path, OnnxOptions(shared_weights="once")).network
    assert cost_specs([_spec(once)])[0].total.params == 2 * 16 + 4
