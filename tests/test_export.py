"""``dsc-cost export``: every config as an ONNX model that onnx's checker and strict shape inference accept, and
that the ONNX reader reads back to the spec's costs (the round trip ``import(export(spec))``), layer by layer."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import ROOT

onnx = pytest.importorskip("onnx")

from dsc_cost.cli import main  # noqa: E402
from dsc_cost.formulas import Cost, Shape  # noqa: E402
from dsc_cost.layers import base  # noqa: E402
from dsc_cost.layers.conv import ConvLayer  # noqa: E402
from dsc_cost.layers.separable import SeparableLayer  # noqa: E402
from dsc_cost.network import Network, NetworkCost, Node, cost_network  # noqa: E402
from dsc_cost.onnx import load_onnx  # noqa: E402
from dsc_cost.runtime.export import (  # noqa: E402
    EXPORTERS,
    ExportError,
    export_network,
    exporter,
    model_bytes,
    owner,
)
from dsc_cost.spec import load_files, load_text  # noqa: E402

CONFIGS = sorted(p for p in (ROOT / "configs").iterdir() if p.suffix in (".yaml", ".json"))
SPECS = [(path.name, spec) for path in CONFIGS for spec in load_files([str(path)])]
TWO_D = [(name, spec) for name, spec in SPECS if len(spec.network.input) == 3]


def _round_trip(network: Network, tmp_path: Path) -> tuple[NetworkCost, NetworkCost, Any]:
    exported = export_network(network)
    path = tmp_path / "model.onnx"
    path.write_bytes(model_bytes(exported.model))
    [spec] = load_onnx(str(path))
    return cost_network(network), cost_network(spec.network), exported


def _batchnorm_differences(result: NetworkCost) -> tuple[int, int]:
    """What the reader must read differently, by the rule, not by our output: a batch-norm is a layer of its own in
    ONNX, so (1) a full conv with batch-norm, as separable, loses the batch-norm the spec puts after its depthwise
    step (2·C_in params), and (2) a depthwise step's batch-norm inside a separable pair stays as standard, where the
    spec's pair keeps only the partner's (2·C·M params). Returns (as-standard, as-separable) params, imported − spec."""
    standard = separable = 0
    nodes = result.network.nodes
    paired = {pair.depthwise for pair in result.pairing.pairs}
    for index, (node, row) in enumerate(zip(nodes, result.layers, strict=True)):
        layer = node.layer
        if not getattr(layer, "batchnorm", False) or node.train_only:
            continue
        channels = row.input.channels if hasattr(row, "input") else 0
        if isinstance(layer, ConvLayer) and layer.groups == 1 and set(layer.kernel) != {1}:
            separable -= 2 * channels
        if isinstance(layer, SeparableLayer):
            standard += 2 * channels * layer.multiplier
        elif index in paired:
            standard += 2 * row.output.channels  # the depthwise output: C·M channels
    return standard, separable


@pytest.mark.parametrize(("name", "spec"), TWO_D, ids=[f"{n}:{s.network.name}" for n, s in TWO_D])
def test_every_config_round_trips_to_the_same_costs(name: str, spec: Any, tmp_path: Path) -> None:
    before, after, exported = _round_trip(spec.network, tmp_path)
    onnx.checker.check_model(exported.model, full_check=True)
    onnx.shape_inference.infer_shapes(exported.model, check_type=True, strict_mode=True)
    assert exported.model.opset_import[0].version >= 17
    assert after.total == before.total
    assert after.other_ops == before.other_ops
    assert after.output == before.output
    assert after.standard.mults == before.standard.mults
    assert after.separable.mults == before.separable.mults
    standard, separable = _batchnorm_differences(before)
    assert after.standard.params - before.standard.params == standard
    assert after.separable.params - before.separable.params == separable
    # layer by layer: the imported layers of each spec layer (its nodes LAYER, LAYER/…) cost what it does
    names = [node.name for node in spec.network.nodes]
    grouped: dict[str, Cost] = defaultdict(lambda: Cost(0, 0))
    for row in after.layers:
        grouped[owner(row.name, names)] += row.cost
    assert "" not in grouped
    expected: dict[str, Cost] = {}
    last = ""
    for row in before.layers:
        if row.name in grouped:
            last = row.name
            expected[last] = row.cost
        else:  # read into the layer before it (a depthwise layer and its 1×1 conv read as one separable layer)
            expected[last] += row.cost
    assert dict(grouped) == expected


def test_a_1d_network_exports_and_the_reader_refuses_it_as_not_an_image(tmp_path: Path) -> None:
    [spec] = load_files([str(ROOT / "configs" / "kws_ds_cnn_1d.yaml")])
    exported = export_network(spec.network)
    onnx.checker.check_model(exported.model, full_check=True)
    onnx.shape_inference.infer_shapes(exported.model, strict_mode=True)
    dims = [d.dim_value or d.dim_param for d in exported.model.graph.input[0].type.tensor_type.shape.dim]
    assert dims == ["N", 40, 98]
    path = tmp_path / "kws.onnx"
    path.write_bytes(model_bytes(exported.model))
    code = main(["network", str(path)])
    assert code == 2  # the ONNX reader reads N×C×H×W models only: when it reads 1-D, add this to the round trip


def test_node_names_follow_the_spec(tmp_path: Path) -> None:
    network = load_text(
        "name: t\ninput: [3, 8, 8]\nlayers:\n"
        "  - {name: stem, type: conv, out: 8, kernel: 3, padding: same, batchnorm: true}\n"
        "  - {name: block, type: separable, out: 16, kernel: 3, padding: 1}\n",
        "t.yaml",
    )[0].network
    exported = export_network(network)
    nodes = [(n.name, n.op_type) for n in exported.model.graph.node]
    assert nodes == [("stem", "Conv"), ("stem/bn", "BatchNormalization"), ("block", "Conv"),
                     ("block/pointwise", "Conv")]  # fmt: skip
    assert exported.layer_of == {"stem": "stem", "stem/bn": "stem", "block": "block", "block/pointwise": "block"}
    assert owner("a/b/c", ["a", "a/b"]) == "a/b"
    assert owner("x/y", ["a"]) == ""


def test_the_weights_are_seeded() -> None:
    network = Network("t", Shape(3, 8, 8), (Node("c", "conv", ConvLayer(4, (3, 3))),))
    first, again, other = (model_bytes(export_network(network, seed).model) for seed in (0, 0, 1))
    assert first == again
    assert first != other


def test_a_layer_with_no_onnx_form_is_one_located_line_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "name: bad\ninput: [3, 10, 10]\nlayers:\n  - {name: c, type: conv, out: 8, kernel: 3}\n"
        "  - {name: p, type: pool, mode: avg, output: 3}\n",
        encoding="utf-8",
    )
    out = tmp_path / "bad.onnx"
    assert main(["export", str(spec), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"{spec}:5:46: layers[1] (p): output: no ONNX form: adaptive pooling to 3×3 of a 8×8 map (ONNX pools"
        " with windows of one size: the output must divide the input)\n"
    )
    assert not out.exists()


class _Twice(NamedTuple):
    """A layer type of a plugin: doubles its input (no params, no mults)."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> base.Evaluation:
        return base.same(inputs[0], base.FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> base.Elements:
        return base.NOTHING


@pytest.fixture
def twice() -> Any:
    types, registry = list(base._TYPES), dict(base.REGISTRY)
    cls = base.register("twice", "doubles", (), order=300, example="{type: twice}")(_Twice)
    yield cls
    base._TYPES[:] = types
    base.REGISTRY.clear()
    base.REGISTRY.update(registry)
    EXPORTERS.pop("twice", None)


def test_a_plugin_type_needs_an_exporter_and_can_register_one(twice: Any) -> None:
    network = Network("p", Shape(3, 4, 4), (Node("x2", "twice", twice()),))
    with pytest.raises(ExportError, match=r"^layer x2 \(twice\): no ONNX form: the layer type 'twice' has no "):
        export_network(network)

    @exporter("twice")
    def _export(g: Any, c: Any, layer: Any) -> str:
        return str(g.op("Add", [c.inputs[0], c.inputs[0]], c.name))

    model = export_network(network).model
    assert [n.op_type for n in model.graph.node] == ["Add"]
    onnx.checker.check_model(model, full_check=True)


def test_export_writes_a_model_that_network_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.onnx"
    assert main(["export", str(ROOT / "configs" / "mobilenet_v1.yaml"), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["network", str(out), "--format", "json"]) == 0
    totals = json.loads(capsys.readouterr().out)["networks"][0]["totals"]
    # MobileNet V1's Table 1 (Howard et al., 2017): 4.2M params, 569M mult-adds; the spec's exact figures
    assert (totals["params"], totals["mults"]) == (4210088, 568740352)


def test_export_of_a_file_of_several_networks_asks_which(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.onnx"
    assert main(["export", str(ROOT / "configs" / "seeds.yaml"), "-o", str(out)]) == 2
    assert "choose one with --network" in capsys.readouterr().err
    assert main(["export", str(ROOT / "configs" / "seeds.yaml"), "-o", str(out), "--network", "seed 6x6x3 to 4"]) == 0
    assert out.exists()
