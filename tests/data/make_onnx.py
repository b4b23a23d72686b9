"""Writes tests/data/tiny.onnx, the ONNX model of the docs' examples (run from the repository root with the
onnx package installed): a stem conv, a depthwise 3×3 conv and a 1×1 conv with ReLU6 between them (one
separable layer, as a spec writes it), a standard 3×3 conv, a residual add, global pooling and a classifier.

Its weights are declared as external data that is not there: costing needs their shapes only, and the file
stays small."""

from __future__ import annotations

import sys

import onnx
from onnx import TensorProto, helper


def weight(name: str, dims: list[int]) -> TensorProto:
    tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims)
    tensor.data_location = TensorProto.EXTERNAL
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", "tiny.weights"
    return tensor


def scalar(name: str, value: float) -> TensorProto:
    return helper.make_tensor(name, TensorProto.FLOAT, [], [value])


def main() -> None:
    """Build the model and save it to the path given (default: tests/data/tiny.onnx)."""
    nodes = [
        helper.make_node("Conv", ["image", "stem.w", "stem.b"], ["s"], "stem/conv", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["s"], ["s_act"], "stem/relu"),
        helper.make_node("Conv", ["s_act", "dw.w", "dw.b"], ["d"], "block/dw", pads=[1, 1, 1, 1], group=16),
        helper.make_node("Clip", ["d", "zero", "six"], ["d_act"], "block/relu6"),
        helper.make_node("Conv", ["d_act", "pw.w", "pw.b"], ["p"], "block/pw"),
        helper.make_node("Add", ["p", "s_act"], ["r"], "block/add"),
        helper.make_node("Conv", ["r", "conv.w", "conv.b"], ["c"], "head/conv", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["c_act"], "head/relu"),
        helper.make_node("GlobalAveragePool", ["c_act"], ["g"], "head/pool"),
        helper.make_node("Flatten", ["g"], ["f"], "head/flatten"),
        helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["logits"], "head/fc", transB=1),
    ]
    weights = [
        weight("stem.w", [16, 3, 3, 3]), weight("stem.b", [16]), weight("dw.w", [16, 1, 3, 3]), weight("dw.b", [16]),
        weight("pw.w", [16, 16, 1, 1]), weight("pw.b", [16]), weight("conv.w", [32, 16, 3, 3]), weight("conv.b", [32]),
        weight("fc.w", [10, 32]), weight("fc.b", [10]), scalar("zero", 0.0), scalar("six", 6.0),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes, "tiny", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], weights,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="dsc-cost tests")
    onnx.save(model, sys.argv[1] if len(sys.argv) > 1 else "tests/data/tiny.onnx")


if __name__ == "__main__":  # not when a test run imports the module (doctests): it would write a file
    main()
