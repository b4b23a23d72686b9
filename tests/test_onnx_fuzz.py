"""Fuzzing the ONNX reader through the real command line: small graphs of every op it reads (built here with
onnx.helper), mutated on purpose (attributes set to values of every sign, size and type, inf and NaN among them;
weights' dims and shape constants changed; ops swapped; inputs dropped, repeated or renamed; node names made
equal, empty or full of control characters). Whatever the graph, ``network`` ends in a result (exit 0) or in
located problems (exit 2, one line each, every line naming the file, nothing on standard output): never an
internal error (70), never a traceback.

Hypothesis runs derandomized and without an example database, as tests/test_fuzz.py does: every run tries the
same cases, in a few seconds."""

from __future__ import annotations

import contextlib
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402
from test_fuzz import FUZZ as SPEC_FUZZ  # noqa: E402

from dsc_cost.cli import main  # noqa: E402

FUZZ = settings(SPEC_FUZZ, max_examples=200)
"""The spec fuzz's settings (derandomized, no example database), with fewer examples: each builds a graph."""

INT64 = 2**63 - 1


def _weight(name: str, dims: list[int]) -> TensorProto:
    return helper.make_tensor(name, TensorProto.FLOAT, dims, [0.0] * math.prod(dims))


def _ints(name: str, values: list[int]) -> TensorProto:
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], values)


def _floats(name: str, values: list[float]) -> TensorProto:
    return helper.make_tensor(name, TensorProto.FLOAT, [len(values)], values)


def _seed() -> tuple[list[Any], list[TensorProto]]:
    """One graph of every op the reader understands, on a 1×8×8×8 input: the mutations' starting point."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], "conv", pads=[1, 1, 1, 1], strides=[1, 1], group=1, kernel_shape=[3, 3]),
        n("Relu", ["c1"], ["r1"], "relu"),
        n("Conv", ["r1", "dw"], ["d1"], "dw", pads=[1, 1, 1, 1], group=8, dilations=[1, 1]),
        n("Clip", ["d1", "lo", "hi"], ["d2"], "relu6"),
        n("Conv", ["d2", "pw"], ["p1"], "pw"),
        n("BatchNormalization", ["p1", "g", "b", "g", "b"], ["n1"], "bn"),
        n("Add", ["n1", "r1"], ["a1"], "add"),
        n("Split", ["a1", "halves"], ["s1", "s2"], "split", axis=1),
        n("Concat", ["s2", "s1"], ["cat"], "cat", axis=1),
        n("Shape", ["cat"], ["shape"], "shape"),
        n("Gather", ["shape", "idx"], ["hw"], "gather", axis=0),
        n("Concat", ["lead", "hw"], ["target"], "target", axis=0),
        n("Reshape", ["cat", "target"], ["re"], "reshape"),
        n("Slice", ["re", "starts", "ends", "axes"], ["sl"], "slice"),
        n("Resize", ["sl", "", "scales"], ["up"], "resize", mode="nearest"),
        n("MaxPool", ["up"], ["mp"], "maxpool", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=0),
        n("GroupNormalization", ["mp", "g4", "b4"], ["gn"], "groupnorm", num_groups=2, epsilon=1e-5),
        n("ConvTranspose", ["gn", "wt"], ["ct"], "deconv", strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]),
        n("Transpose", ["ct"], ["tr"], "nhwc", perm=[0, 2, 3, 1]),
        n("LayerNormalization", ["tr", "g4", "b4"], ["ln"], "layernorm", axis=-1),
        n("MatMul", ["ln", "mm"], ["mlp"], "mlp"),
        n("Transpose", ["mlp"], ["back"], "nchw", perm=[0, 3, 1, 2]),
        n("Upsample", ["back"], ["up2"], "upsample", scales=[1.0, 1.0, 1.0, 1.0], mode="nearest"),
        n("ReduceMean", ["up2"], ["mean"], "mean", axes=[2, 3], keepdims=1),
        n("Flatten", ["mean"], ["flat"], "flatten", axis=1),
        n("Gemm", ["flat", "fc", "fcb"], ["y"], "fc", transB=1),
    ]
    inits = [
        _weight("w1", [8, 8, 3, 3]), _weight("b1", [8]), _weight("dw", [8, 1, 3, 3]), _weight("pw", [8, 8, 1, 1]),
        _weight("g", [8]), _weight("b", [8]), _weight("g4", [4]), _weight("b4", [4]), _weight("wt", [4, 4, 3, 3]),
        _weight("mm", [4, 4]), _weight("fc", [10, 4]), _weight("fcb", [10]),
        _floats("lo", [0.0]), _floats("hi", [6.0]), _ints("halves", [4, 4]), _ints("idx", [2, 3]),
        _ints("lead", [1, 8]), _ints("starts", [0]), _ints("ends", [4]), _ints("axes", [1]),
        _floats("scales", [1.0, 1.0, 2.0, 2.0]),
    ]  # fmt: skip
    return nodes, inits


ATTRIBUTES = [
    "group", "axis", "strides", "pads", "kernel_shape", "dilations", "num_groups", "scales", "mode", "auto_pad",
    "perm", "split", "num_outputs", "axes", "keepdims", "ceil_mode", "to", "start", "end", "transA", "transB",
    "allowzero", "output_padding", "output_shape", "min", "max", "value", "value_ints", "value_floats",
]  # fmt: skip
NUMBERS = [0, 1, -1, 2, 3, 4, 7, 8, 100, 2**31, INT64, -INT64 - 1, 10**18, -(10**18)]
FLOATS = [0.0, -0.0, 0.5, 1.0, 1.5, 2.0, -2.0, 1e-30, 1e30, 3e38, math.inf, -math.inf, math.nan]
STRINGS = ["", "NOTSET", "SAME_UPPER", "VALID", "BOTH", "nearest", "linear", "cubic", "\x1b[31m", "é" * 300]
OPS = [
    "Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Mul", "Sub", "Div", "Relu", "Clip", "Sigmoid", "Erf",
    "Identity", "Cast", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean", "BatchNormalization",
    "LayerNormalization", "GroupNormalization", "Concat", "Split", "Slice", "Reshape", "Flatten", "Squeeze",
    "Unsqueeze", "Transpose", "Resize", "Upsample", "Shape", "Gather", "Constant", "Pad", "",
]  # fmt: skip
NAMES = ["", "r", "conv", "input", "conv.0", "split.1", "\x00\x07", "/", "x" * 500, "名前"]


def _attribute_value(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["int", "float", "ints", "floats", "string", "tensor", "empty"]))
    if kind == "int":
        return draw(st.sampled_from(NUMBERS))
    if kind == "float":
        return draw(st.sampled_from(FLOATS))
    if kind == "ints":
        return draw(st.lists(st.sampled_from(NUMBERS), min_size=1, max_size=6))
    if kind == "floats":
        return draw(st.lists(st.sampled_from(FLOATS), min_size=1, max_size=5))
    if kind == "string":
        return draw(st.sampled_from(STRINGS))
    if kind == "tensor":
        return _ints("t", draw(st.lists(st.sampled_from(NUMBERS), max_size=4)))
    return []


def _tensor_values(draw: st.DrawFn, tensor: TensorProto) -> TensorProto:
    """A shape constant or weight with other values, or other dims (written by hand: helper checks them)."""
    if draw(st.booleans()):
        dims = draw(st.lists(st.sampled_from([-4, -1, 0, 1, 2, 3, 8, 10**12]), min_size=0, max_size=5))
        changed = TensorProto(name=tensor.name, data_type=tensor.data_type)
        changed.dims.extend(dims)
        return changed
    count = draw(st.integers(min_value=0, max_value=6))
    if tensor.data_type == TensorProto.INT64:
        return _ints(tensor.name, draw(st.lists(st.sampled_from(NUMBERS), min_size=count, max_size=count)))
    return _floats(tensor.name, draw(st.lists(st.sampled_from(FLOATS), min_size=count, max_size=count)))


@st.composite
def hostile_graph(draw: st.DrawFn) -> tuple[list[Any], list[TensorProto]]:
    nodes, inits = _seed()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["attribute", "tensor", "op", "inputs", "name", "chain"]))
        node = nodes[draw(st.integers(min_value=0, max_value=len(nodes) - 1))]
        if kind == "attribute":
            name = draw(st.sampled_from(ATTRIBUTES))
            kept = [a for a in node.attribute if a.name != name]
            del node.attribute[:]
            value = _attribute_value(draw)
            kind_of_empty = draw(st.sampled_from([onnx.AttributeProto.INTS, onnx.AttributeProto.FLOATS]))
            attribute = helper.make_attribute(name, value, attr_type=kind_of_empty if value == [] else None)
            node.attribute.extend([*kept, attribute])
        elif kind == "tensor":
            index = draw(st.integers(min_value=0, max_value=len(inits) - 1))
            inits[index] = _tensor_values(draw, inits[index])
        elif kind == "op":
            node.op_type = draw(st.sampled_from(OPS))
        elif kind == "inputs":
            names = [*node.input]
            action = draw(st.sampled_from(["drop", "repeat", "empty", "other"]))
            if action == "drop" and names:
                names.pop(draw(st.integers(min_value=0, max_value=len(names) - 1)))
            elif action == "repeat" and names:
                names.append(names[0])
            elif action == "empty" and names:
                names[-1] = ""
            elif action == "other":
                names.append(draw(st.sampled_from(["x", "shape", "scales", "idx", "w1", "cat"])))
            del node.input[:]
            node.input.extend(names)
        elif kind == "name":
            node.name = draw(st.sampled_from(NAMES))
        else:  # the node again, many times, on its own output: a chain
            count = draw(st.sampled_from([2, 20, 200]))
            at = nodes.index(node)
            chain = []
            source = node.output[0]
            for i in range(count):
                again = helper.make_node(node.op_type, [source, *node.input[1:]], [f"{source}~{i}"], node.name)
                again.attribute.extend(node.attribute)
                chain.append(again)
                source = again.output[0]
            for later in nodes[at + 1 :]:
                for j, name in enumerate(later.input):
                    if name == node.output[0]:
                        later.input[j] = source
            nodes[at + 1 : at + 1] = chain
    return nodes, inits


def _save(folder: str, nodes: list[Any], inits: list[TensorProto]) -> str:
    graph = helper.make_graph(
        nodes, "hostile", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    path = str(Path(folder) / "hostile.onnx")
    with open(path, "wb") as file:
        file.write(model.SerializeToString())
    return path


def test_the_seed_graph_is_read_whole() -> None:
    """The graph the mutations start from is one the reader understands, every op of it."""
    nodes, inits = _seed()
    with tempfile.TemporaryDirectory() as folder:
        path = _save(folder, nodes, inits)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["network", path, "--format", "json", "--strict"])
    # its one warning: weights that several of its layers read, counted once per use
    assert code == 0 and "not understood" not in err.getvalue() and err.getvalue().count("\n") <= 1, err.getvalue()


@FUZZ
@given(graph=hostile_graph())
def test_hostile_graphs_end_in_a_result_or_located_problems(graph: tuple[list[Any], list[TensorProto]]) -> None:
    nodes, inits = graph
    with tempfile.TemporaryDirectory() as folder:
        path = _save(folder, nodes, inits)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["network", path, "--format", "json"])
        context = (
            f"{[(n.op_type, n.name, list(n.input), n.attribute) for n in nodes]}\n--- stderr ---\n{err.getvalue()}"
        )
        assert code in (0, 2), context
        assert "Traceback" not in err.getvalue(), context
        if code == 2:
            lines = err.getvalue().splitlines()
            assert out.getvalue() == "" and lines, context
            assert all(line.startswith(f"{path}: ") for line in lines), context
