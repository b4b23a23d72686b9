"""ONNX ops from outside the package: the op plugin of docs/api.md installed with an entry point in the group
``dsc_cost.onnx_ops`` (beside the layer plugin it gives an op to), loaded when a graph has an op the reader does
not know; and the registry itself, live and open (``register_op``), never silent about a handler's mistakes."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Run
from test_plugins import plugin_source

onnx = pytest.importorskip("onnx")
from onnx import helper  # noqa: E402
from test_onnx import save, weight  # noqa: E402  (the graph builders of the ONNX reader's tests)

from dsc_cost import layers  # noqa: E402
from dsc_cost.errors import SpecError  # noqa: E402
from dsc_cost.formulas import Cost, Shape  # noqa: E402
from dsc_cost.layers import base  # noqa: E402
from dsc_cost.layers.activation import ActivationLayer  # noqa: E402
from dsc_cost.network import cost_network  # noqa: E402
from dsc_cost.readers.onnx import (  # noqa: E402
    HANDLERS,
    SAME,
    OpNode,
    load_op_plugins,
    read_network,
    register_op,
    registry,
)


def op_plugin_source() -> str:
    """The op plugin module of docs/api.md: the Python block after its ``<!-- onnx-op-plugin -->`` mark."""
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- onnx-op-plugin -->\n```python\n(.*?)```", page, re.S)
    assert found, "docs/api.md has no ONNX op plugin example"
    return found.group(1)


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The op registry as it was afterwards, and the op plugins not yet looked for."""
    saved = dict(HANDLERS)
    monkeypatch.setattr(registry, "_plugins", [])
    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: None) -> Iterator[Path]:
    """Both plugins of docs/api.md installed as one package would be: their modules and a distribution's metadata
    with an entry point in each group, on the import path; the layer and op registries as they were afterwards."""
    (tmp_path / "my_layers.py").write_text(plugin_source(), encoding="utf-8")
    (tmp_path / "my_ops.py").write_text(op_plugin_source(), encoding="utf-8")
    info = tmp_path / "my_plugins-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-plugins\nVersion: 1.0\n", encoding="utf-8")
    points = "[dsc_cost.layers]\nzeropad = my_layers\n\n[dsc_cost.onnx_ops]\nmy_ops = my_ops\n"
    (info / "entry_points.txt").write_text(points, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    types, layer_registry = list(base._TYPES), dict(base.REGISTRY)
    monkeypatch.setattr(layers, "_plugins", [])
    yield tmp_path
    base._TYPES[:] = types
    base.REGISTRY.clear()
    base.REGISTRY.update(layer_registry)
    for module in ("my_layers", "my_ops"):
        sys.modules.pop(module, None)


def plugin_graph(tmp_path: Path, pads: bool = True) -> str:
    """8×4×4 → InstanceNormalization (scale, B) → ZeroPad(pads 1) → 3×3 conv of 4 outputs, no pads, no bias."""
    nodes = [
        helper.make_node("InstanceNormalization", ["x", "s", "b"], ["n"], "in"),
        helper.make_node("ZeroPad", ["n"], ["p"], "zp", **({"pads": 1} if pads else {})),
        helper.make_node("Conv", ["p", "w"], ["y"], "conv"),
    ]
    return save(tmp_path, nodes, [weight("s", [8]), weight("b", [8]), weight("w", [4, 8, 3, 3])], [1, 8, 4, 4])


def test_a_graph_with_the_plugins_ops_loads_them(installed: Path, tmp_path: Path) -> None:
    assert "InstanceNormalization" not in HANDLERS
    network = read_network(plugin_graph(tmp_path)).network
    assert load_op_plugins() == ["my_ops"]
    assert [(n.name, n.type) for n in network.nodes] == [("in", "groupnorm"), ("zp", "zeropad"), ("conv", "conv")]
    result = cost_network(network)
    # groupnorm of 8 groups on 8×4×4: 2·8 = 16 params; zeropad: 8×6×6, nothing; conv 8 → 4, 3×3 on 6×6 → 4×4:
    # 4·8·9 = 288 weights, 288·16 mults
    assert [layer.output for layer in result.layers] == [Shape(8, 4, 4), Shape(8, 6, 6), Shape(4, 4, 4)]
    assert [layer.cost for layer in result.layers] == [Cost(16, 0), Cost(0, 0), Cost(288, 288 * 16)]
    assert list(HANDLERS)[-2:] == ["InstanceNormalization", "ZeroPad"]  # the table's rows, after the built-in ones
    assert HANDLERS["ZeroPad"].costs == "`zeropad` (the plugin's layer type)"  # the docstring's line


def test_the_command_line_costs_and_imports_it(installed: Path, tmp_path: Path, run: Run) -> None:
    path = plugin_graph(tmp_path)
    code, out, err = run("network", path, "--format", "csv")
    assert (code, err) == (0, "") and ",zeropad,8x4x4,8x6x6,0,0," in out
    code, spec, err = run("import", path)
    assert (code, err) == (0, "")
    assert '{name: "zp", type: "zeropad", pad: 1}' in spec and 'type: "groupnorm", groups: 8}' in spec
    (tmp_path / "m.yaml").write_text(spec, encoding="utf-8")
    _, from_onnx, _ = run("network", path, "--format", "json")
    _, from_spec, _ = run("network", str(tmp_path / "m.yaml"), "--format", "json")
    assert re.findall(r'"(?:params|mults)": \d+', from_onnx) == re.findall(r'"(?:params|mults)": \d+', from_spec)


def test_a_plugins_refusals_are_located_and_never_silent(installed: Path, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        read_network(plugin_graph(tmp_path, pads=False))
    message = "m.onnx: node zp (ZeroPad): pads: expected a positive integer (a required attribute), found none"
    assert str(info.value).endswith(message)


def test_a_broken_op_plugin_is_one_line(installed: Path, tmp_path: Path, run: Run) -> None:
    (installed / "my_ops.py").write_text("raise RuntimeError('broken')\n", encoding="utf-8")
    code, out, err = run("network", plugin_graph(tmp_path))
    assert (code, out) == (2, "")
    assert err.strip() == "the ONNX op plugin 'my_ops' (my_ops) cannot be loaded: broken"


def softplus_graph(tmp_path: Path) -> str:
    """3×4×4 → Softplus → 1×1 conv of 2 outputs, no bias (6 weights, 6·16 mults)."""
    nodes = [helper.make_node("Softplus", ["x"], ["s"], "sp"), helper.make_node("Conv", ["s", "w"], ["y"], "conv")]
    return save(tmp_path, nodes, [weight("w", [2, 3, 1, 1])], [1, 3, 4, 4])


def test_a_handler_registered_after_import_is_read(handlers: None, tmp_path: Path) -> None:
    path = softplus_graph(tmp_path)
    with pytest.raises(SpecError, match=r"Softplus ×1 \(first: node sp \(Softplus\)\)"):
        read_network(path)

    @register_op("Softplus", costs="nothing: the same count as its input")
    def softplus(op: OpNode) -> object:
        assert op.node.op_type == "Softplus" and op.shape == Shape(3, 4, 4)
        return SAME

    assert HANDLERS["Softplus"].costs == "nothing: the same count as its input"
    network = read_network(path).network
    assert [(n.name, n.type) for n in network.nodes] == [("conv", "pointwise")]
    assert cost_network(network).total == Cost(6, 6 * 16)
    # a list of layers, each reading the one before: two activations named from the node
    register_op("Softplus", lambda op: [ActivationLayer("relu"), ActivationLayer("tanh")], costs="two", replace=True)
    network = read_network(path).network
    assert [(n.name, n.type, n.layer) for n in network.nodes][:2] == [
        ("sp", "activation", ActivationLayer("relu")),
        ("sp_2", "activation", ActivationLayer("tanh")),
    ]


def test_a_handler_that_gives_no_layer_is_refused(handlers: None, tmp_path: Path) -> None:
    register_op("Softplus", lambda op: None, costs="a mistake")  # type: ignore[arg-type, return-value]
    with pytest.raises(SpecError) as info:
        read_network(softplus_graph(tmp_path))
    assert "Softplus ×1 (first: node sp (Softplus): its handler gave NoneType, not a layer of a registered type)" in (
        str(info.value)
    )


def test_an_op_keeps_its_handler_unless_told(handlers: None) -> None:
    conv = HANDLERS["Conv"]
    with pytest.raises(ValueError, match="the ONNX op 'Conv' has a handler already"):
        register_op("Conv", lambda op: SAME, costs="nothing")
    assert HANDLERS["Conv"] is conv
    with pytest.raises(ValueError, match="says nothing of what the op costs"):
        register_op("Softplus", lambda op: SAME)
    assert "Softplus" not in HANDLERS


def test_a_handler_reads_only_data_as_a_layer_made_it(handlers: None, tmp_path: Path) -> None:
    """A flattened map (N × C·H·W) is not the C×H×W that a layer's evaluate takes: refused, the reason said."""
    register_op("Softplus", lambda op: SAME, costs="nothing")
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], "flat"),
        helper.make_node("Softplus", ["f"], ["s"], "sp"),
        helper.make_node("Gemm", ["s", "w"], ["y"], "fc", transB=1),
    ]
    path = save(tmp_path, nodes, [weight("w", [2, 48])], [1, 3, 4, 4])
    with pytest.raises(SpecError) as info:
        read_network(path)
    assert "Softplus ×1 (first: node sp (Softplus): an input that is not channels first, as a layer's output is)" in (
        str(info.value)
    )
