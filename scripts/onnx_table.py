"""The table of docs/onnx.md: torchvision models exported to ONNX both ways (the default dynamo exporter and
``dynamo=False``), costed by dsc-cost from the ONNX file, beside fvcore's count of the torch model and the
graph's own parameters. Needs torch, torchvision, fvcore, onnx and onnxscript; run from the repository root:

    PYTHONPATH=. python scripts/onnx_table.py

tests/test_onnx_against_torch.py asserts the same numbers (through :func:`measure`).
"""

from __future__ import annotations

import math
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, NamedTuple

MODELS = (
    "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0", "mnasnet1_0",
    "shufflenet_v2_x1_0", "resnet18", "resnet50", "regnet_y_400mf", "convnext_tiny", "vgg16",
)  # fmt: skip
"""Every torchvision model of configs/ (and ResNet-50 and RegNetY-400MF, which have no config)."""
EXPORTERS = ("dynamo", "torchscript")
FLOAT_TYPES = (1, 10, 11, 16)  # FLOAT, FLOAT16, DOUBLE, BFLOAT16


def model(name: str) -> Any:
    """torchvision's ``name`` in eval mode, its parameters and buffers random in [0.5, 1.5): with the
    default initialization many folded biases are equal, and the exporters store equal tensors once."""
    import torch
    import torchvision

    torch.manual_seed(0)
    net = getattr(torchvision.models, name)().eval()
    with torch.no_grad():
        for tensor in net.state_dict().values():
            if tensor.is_floating_point():
                tensor.uniform_(0.5, 1.5)
    return net


def export(net: Any, path: Path, exporter: str) -> None:
    import torch

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(net, (torch.zeros(1, 3, 224, 224),), str(path), dynamo=exporter == "dynamo")


def fvcore_mults(net: Any) -> int:
    """fvcore's conv + linear count of the torch model (its other operators are not dsc-cost's mults)."""
    import torch
    from fvcore.nn import FlopCountAnalysis

    analysis = FlopCountAnalysis(net, torch.zeros(1, 3, 224, 224))
    analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    by_operator = analysis.by_operator()
    return int(by_operator.get("conv", 0) + by_operator.get("linear", 0))


def graph_params(path: Path) -> int:
    """The graph's parameters: the elements of its float initializers, scalars left out, counted for each
    node that reads them."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    sizes = {t.name: math.prod(t.dims) for t in graph.initializer if t.data_type in FLOAT_TYPES}
    sizes = {name: size for name, size in sizes.items() if size > 1}
    return sum(sizes[name] for node in graph.node for name in node.input if name in sizes)


class Row(NamedTuple):
    model: str
    exporter: str
    mults: int
    fvcore: int
    params: int
    graph: int
    torch_params: int
    round_trip: bool


def measure(name: str, exporter: str, folder: Path) -> Row:
    """One model exported one way, costed from the ONNX file and from the spec ``import`` writes of it."""
    from dsc_cost.network import cost_network
    from dsc_cost.onnx import read_network, spec_text
    from dsc_cost.spec import load_text

    net = model(name)
    path = folder / f"{name}.{exporter}.onnx"
    export(net, path, exporter)
    imported = read_network(str(path))
    assert not imported.unknown, imported.unknown
    result = cost_network(imported.network)
    [spec] = load_text(spec_text(imported.network), f"{name}.yaml")
    round_trip = cost_network(spec.network)._replace(network=imported.network) == result
    graph = graph_params(path)
    path.unlink()
    torch_params = sum(p.numel() for p in net.parameters())
    return Row(
        name, exporter, result.total.mults, fvcore_mults(net), result.total.params, graph, torch_params, round_trip
    )


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in sys.argv[1:] or MODELS:
            for exporter in EXPORTERS:
                rows.append(measure(name, exporter, Path(folder)))
                print(rows[-1], file=sys.stderr)
    print("| model | exporter | mults (dsc-cost) | conv + linear (fvcore) | params (dsc-cost) | params (graph) "
          "| params (torch) | `import` round trip |")  # fmt: skip
    print("|---|---|--:|--:|--:|--:|--:|---|")
    for row in rows:
        print(
            f"| {row.model} | {row.exporter} | {row.mults:,} | {row.fvcore:,} | {row.params:,} | {row.graph:,} "
            f"| {row.torch_params:,} | {'same' if row.round_trip else 'differs'} |"
        )


if __name__ == "__main__":
    main()
