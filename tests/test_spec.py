"""Spec loading: every field, defaults, repeat, references, documents, and every class of bad input,
each reported with file:line:column, the layer, the field, what was expected and what was found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dsc_cost.formulas import Shape
from dsc_cost.layers import REGISTRY
from dsc_cost.network import (
    AddLayer,
    ConcatLayer,
    ConvLayer,
    DepthwiseLayer,
    LinearLayer,
    PointwiseLayer,
    PoolLayer,
    SeparableLayer,
    cost_network,
)
from dsc_cost.spec import MAX_LAYERS, SpecError, cost_specs, load_files, load_text

TYPES = ", ".join(REGISTRY)  # conv, separable, depthwise, pointwise, linear, pool, add, concat (and any added type)
DEFAULTABLE = ", ".join(sorted({f.name for t in REGISTRY.values() for f in t.fields if f.defaultable}))


def load_one(text: str, file: str = "net.yaml"):  # type: ignore[no-untyped-def]
    [spec] = load_text(text, file)
    return spec.network


def errors(text: str | bytes, file: str = "net.yaml", tmp_path: Path | None = None) -> list[str]:
    if isinstance(text, bytes):
        assert tmp_path is not None
        path = tmp_path / file
        path.write_bytes(text)
        with pytest.raises(SpecError) as info:
            load_files([str(path)])
        return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]
    with pytest.raises(SpecError) as info:
        cost_specs(load_text(text, file))  # shape problems surface when the network is costed
    return [str(p) for p in info.value.problems]


# ---------------------------------------------------------------- fields and layer types


def test_every_layer_type_and_field() -> None:
    network = load_one(
        """
name: all types
input: {channels: 4, height: 16, width: 16}
layers:
  - {name: c, type: conv, out: 8, kernel: [3, 5], stride: [1, 2], padding: [1, 2], dilation: 1, groups: 2, bias: true}
  - {name: s, type: separable, out: 8, kernel: 3, stride: 1, padding: same, dilation: 2, multiplier: 2, bias: both}
  - {name: d, type: depthwise, kernel: 3, stride: 2, padding: valid, dilation: 1, multiplier: 1, bias: false}
  - {name: p, type: pointwise, out: 6, stride: 1, bias: true}
  - {name: mp, type: pool, mode: max, kernel: 2, stride: 1, padding: 0}
  - {name: a, type: add, inputs: [mp, mp]}
  - {name: k, type: concat, inputs: [a, mp]}
  - {name: g, type: pool, mode: avg, global: true}
  - {name: fc, type: linear, out: 10, bias: true, from: g}
"""
    )
    assert network.name == "all types"
    assert network.input == Shape(4, 16, 16)
    layers = [node.layer for node in network.nodes]
    assert layers == [
        ConvLayer(8, (3, 5), (1, 2), (1, 2), (1, 1), 2, True),
        SeparableLayer(8, (3, 3), (1, 1), "same", (2, 2), 2, "both"),
        DepthwiseLayer((3, 3), (2, 2), "valid", (1, 1), 1, False),
        PointwiseLayer(6, (1, 1), True),
        PoolLayer("max", (2, 2), (1, 1), (0, 0), False),
        AddLayer(),
        ConcatLayer(),
        PoolLayer("avg", None, None, (0, 0), True),
        LinearLayer(10, True),
    ]
    assert [node.type for node in network.nodes] == [
        "conv",
        "separable",
        "depthwise",
        "pointwise",
        "pool",
        "add",
        "concat",
        "pool",
        "linear",
    ]
    assert network.nodes[5].inputs == ("mp", "mp")
    assert network.nodes[8].inputs == ("g",)
    outputs = [layer.output for layer in cost_network(network).layers]
    # conv: H (16 + 2 − 2 − 1)/1 + 1 = 16, W floor((16 + 4 − 4 − 1)/2) + 1 = 8; separable same: 16×8;
    # depthwise valid stride 2: floor((16 − 3)/2) + 1 = 7, floor((8 − 3)/2) + 1 = 3; pool 2 stride 1: 6×2
    assert outputs == [
        Shape(8, 16, 8), Shape(8, 16, 8), Shape(8, 7, 3), Shape(6, 7, 3), Shape(6, 6, 2),
        Shape(6, 6, 2), Shape(12, 6, 2), Shape(12, 1, 1), Shape(10, 1, 1),
    ]  # fmt: skip


def test_defaults_reach_only_the_layers_that_have_the_key() -> None:
    network = load_one(
        """
input: [3, 8, 8]
defaults: {padding: same, bias: true, dilation: 2}
layers:
  - {type: conv, out: 4, kernel: 3}
  - {type: conv, out: 4, kernel: 3, padding: 0, bias: false}
  - {type: pointwise, out: 4}
  - {type: pool, kernel: 2}
"""
    )
    first, second, pointwise, pool = (node.layer for node in network.nodes)
    assert first == ConvLayer(4, (3, 3), (1, 1), "same", (2, 2), 1, True)
    assert second == ConvLayer(4, (3, 3), (1, 1), (0, 0), (2, 2), 1, False)  # the layer's own keys win
    assert pointwise == PointwiseLayer(4, (1, 1), True)  # padding and dilation do not reach a pointwise
    assert pool == PoolLayer("max", (2, 2), None, "same", False)  # padding reaches a pool, dilation does not


def test_repeat_names_and_references() -> None:
    network = load_one(
        """
input: [4, 8, 8]
layers:
  - {name: block, type: separable, out: 4, kernel: 3, padding: 1, repeat: 3}
  - {type: conv, out: 4, kernel: 1, repeat: 2}
  - {name: once, type: conv, out: 4, kernel: 1, repeat: 1}
  - {type: add, inputs: [block, once]}
  - {type: conv, out: 4, kernel: 1, from: block}
"""
    )
    names = [node.name for node in network.nodes]
    assert names == ["block.1", "block.2", "block.3", "conv1", "conv2", "once", "add1", "conv3"]
    assert network.nodes[6].inputs == ("block.3", "once")  # NAME means its last copy
    assert network.nodes[7].inputs == ("block.3",)


def test_default_names_skip_written_names() -> None:
    network = load_one(
        "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 4, kernel: 1}\n  - {name: conv2, type: pool, kernel: 1}\n  - {type: conv, out: 4, kernel: 1}\n"
    )
    assert [node.name for node in network.nodes] == ["conv1", "conv2", "conv3"]


def test_several_documents_and_files(tmp_path: Path) -> None:
    (tmp_path / "two.yaml").write_text(
        "input: [3, 8, 8]\nlayers: [{type: pointwise, out: 4}]\n---\nname: second\ninput: [3, 4, 4]\nlayers: [{type: pointwise, out: 2}]\n"
    )
    (tmp_path / "one.json").write_text(json.dumps({"input": [3, 2, 2], "layers": [{"type": "linear", "out": 1}]}))
    specs = load_files([str(tmp_path / "two.yaml"), str(tmp_path / "one.json")])
    assert [s.network.name for s in specs] == ["two#1", "second", "one"]
    assert [s.document for s in specs] == [0, 1, 0]
    assert specs[2].network.nodes[0].layer == LinearLayer(1, False)


def test_stdin() -> None:
    [spec] = load_files(["-"], stdin=lambda: b"input: [3, 8, 8]\nlayers: [{type: pointwise, out: 4}]\n")
    assert (spec.network.name, spec.file) == ("stdin", "-")


def test_budget_is_kept() -> None:
    [spec] = load_text("input: [3, 8, 8]\nbudget: {max_mults: 600M}\nlayers: [{type: pointwise, out: 4}]\n", "b.yaml")
    assert spec.budget == {"max_mults": "600M"}


# ---------------------------------------------------------------- bad input: one located line per problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown key: a typo, pointed at the key itself
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 4, kernel: 3, strid: 2}\n",
            [
                "net.yaml:3:37: layers[0]: strid: unknown field: conv layers take batchnorm, bias, dilation, from, groups, "
                "kernel, name, out, padding, repeat, stride; did you mean 'stride'?"
            ],
        ),
        # a wrong type, and `true` is not a number
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: true, kernel: '3'}\n",
            [
                "net.yaml:3:23: layers[0]: out: expected a positive integer, found true",
                "net.yaml:3:37: layers[0]: kernel: expected a positive integer or [height, width] of them, found '3'",
            ],
        ),
        # bounds: stride ≥ 1, padding ≥ 0, dilation ≥ 1, repeat ≥ 1
        (
            "input: [3, 8, 8]\nlayers:\n  - {name: x, type: conv, out: 4, kernel: 3, stride: [1, 0], padding: -1, dilation: 0, repeat: 0}\n",
            [
                "net.yaml:3:54: layers[0] (x): stride: expected a positive integer or [height, width] of them, found [1, 0]",
                "net.yaml:3:71: layers[0] (x): padding: expected a non-negative integer, [height, width], 'same' or 'valid', found -1",
                "net.yaml:3:85: layers[0] (x): dilation: expected a positive integer or [height, width] of them, found 0",
                "net.yaml:3:96: layers[0] (x): repeat: expected a positive whole number (the layers of a run are bounded by --max-layers), found 0",
            ],
        ),
        # a missing required field, pointed at the layer
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: separable, kernel: 3}\n",
            ["net.yaml:3:5: layers[0]: out: missing: separable layers need out, kernel"],
        ),
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: pool, mode: avg}\n",
            ["net.yaml:3:5: layers[0]: kernel: missing: pool layers need a kernel, an output size or global: true"],
        ),
        # an unknown type, and no type at all
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: separabel, out: 4}\n  - {out: 4}\n",
            [
                f"net.yaml:3:12: layers[0]: type: expected one of {TYPES}, "
                "found 'separabel'; did you mean 'separable'?",
                f"net.yaml:4:5: layers[1]: type: expected one of {TYPES}, found nothing",
            ],
        ),
        # unknown and forward references, a duplicate name, a field of another type
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 4, kernel: 3, from: later}\n  - {name: later, type: conv, out: 4, kernel: 1}\n"
            "  - {name: later, type: pool, kernel: 2}\n  - {type: add, inputs: [later, nowhere]}\n  - {type: pointwise, out: 4, padding: 1}\n",
            [
                "net.yaml:3:43: layers[0]: from: unknown layer 'later': expected 'input' or the name of an earlier layer",
                "net.yaml:5:12: layers[2] (later): name: expected a unique name, found 'later' again",
                "net.yaml:6:33: layers[3]: inputs: unknown layer 'nowhere': expected 'input' or the name of an earlier layer",
                "net.yaml:7:31: layers[4]: padding: unknown field: pointwise layers take batchnorm, bias, from, name, out, repeat, stride",
            ],
        ),
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: add, inputs: [input]}\n  - {type: add, inputs: [input, input], from: input}\n",
            [
                "net.yaml:3:25: layers[0]: inputs: expected a list of two or more layer names, found ['input']",
                "net.yaml:4:41: layers[1]: from: unknown field: add layers take inputs, name, repeat",
            ],
        ),
        # bad values of the document's own keys
        (
            "name: ''\ninput: [3, 0]\ndefaults: {strid: 2, padding: full}\nbudget: 5\nlayers: []\nextra: 1\n",
            [
                "net.yaml:6:1: extra: unknown key: expected one of name, params, variants, input, defaults, use, blocks, budget, layers",
                "net.yaml:1:7: name: expected a non-empty name, found ''",
                "net.yaml:4:9: budget: expected a mapping of limits, found 5",
                "net.yaml:2:12: input.length: expected a positive integer, found 0",  # [C, L]: a 1-D input
                f"net.yaml:3:12: defaults.strid: unknown layer field: expected one of {DEFAULTABLE};"
                " did you mean 'stride'?",
                "net.yaml:3:31: defaults.padding: expected a non-negative integer, [height, width], 'same' or 'valid', found 'full'",
                "net.yaml:5:9: layers: expected a non-empty list of layers, found a list of 0 items",
            ],
        ),
        (
            "input: {channels: 3, height: 8, depth: 2}\nlayers: [{type: pointwise, out: 1}]\n",
            [  # depth: a 3-D input
                "net.yaml:1:8: input: missing width: expected [channels, height, width] or {channels, height, width} of "
                "positive integers (1-D: [channels, length], 3-D: [channels, depth, height, width])",
            ],
        ),
        ("layers: [{type: pointwise, out: 1}]\n", ["net.yaml:1:1: input: missing: expected [channels, height, width]"]),
        (
            "input: [3, 8, 8]\nlayers: [3]\n",
            ["net.yaml:2:10: layers[0]: expected a layer mapping with a type, found 3"],
        ),
        # shapes that do not fit, at the field that decides, or at the default it came from
        (
            "input: [3, 4, 4]\nlayers:\n  - {name: big, type: conv, out: 4, kernel: 5}\n",
            [
                "net.yaml:3:45: layers[0] (big): kernel: kernel 5 (dilation 1) does not fit the input height 4 with "
                "padding 0: output height would be 0"
            ],
        ),
        (
            "input: [3, 4, 4]\ndefaults: {dilation: 3}\nlayers:\n  - {type: pointwise, out: 4}\n  - {type: depthwise, kernel: 3}\n",
            [
                "net.yaml:5:31: layers[1] (depthwise1): kernel: kernel 3 (dilation 3) does not fit the input height 4 "
                "with padding 0: output height would be -2"
            ],
        ),
        (
            "input: [3, 4, 4]\nlayers:\n  - {name: a, type: pointwise, out: 5}\n  - {type: add, inputs: [a, input]}\n",
            ["net.yaml:4:25: layers[1] (add1): inputs: add needs equal shapes, found 5×4×4 and 3×4×4"],
        ),
        (
            "input: [4, 4, 4]\ndefaults: {groups: 4}\nlayers:\n  - {type: conv, out: 6, kernel: 1}\n",
            ["net.yaml:2:20: layers[0] (conv1): groups: groups 4 must divide both in channels 4 and out 6"],
        ),
        # the document itself
        ("- 1\n- 2\n", ["net.yaml:1:1: expected a mapping with name, input and layers, found a list of 2 items"]),
        ("", ["net.yaml:1:1: the file is empty: expected a network spec (input and layers)"]),
        ("  \n\n", ["net.yaml:1:1: the file is empty: expected a network spec (input and layers)"]),
        ("# only a comment\n", ["net.yaml:1:1: the file holds no document: expected a network spec"]),
        ("input: [3, 8, 8]\nlayers: [\n", ["net.yaml:3:1: not valid YAML: did not find expected node content"]),
        (
            "input: !!python/object/apply:os.system [ls]\nlayers: []\n",
            [
                "net.yaml:1:8: not valid YAML: could not determine a constructor for the tag "
                "'tag:yaml.org,2002:python/object/apply:os.system'"
            ],
        ),
    ],
)
def test_error(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_error_json_syntax() -> None:
    assert errors('{"input": [3, 8, 8], "layers": [}', "net.json") == ["net.json:1:33: not valid JSON: Expecting value"]


def test_error_json_is_located_too() -> None:
    text = '{\n  "input": [3, 8, 8],\n  "layers": [\n    {"type": "conv", "out": 0, "kernel": 3}\n  ]\n}\n'
    assert errors(text, "net.json") == ["net.json:4:29: layers[0]: out: expected a positive integer, found 0"]


def test_error_not_utf8(tmp_path: Path) -> None:
    assert errors(b"name: ok\ninput: caf\xe9\n", "latin.yaml", tmp_path) == [
        "latin.yaml:2:11: not UTF-8 text: byte 0xe9 cannot be decoded"
    ]


def test_error_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_files([str(tmp_path / "nope.yaml")])
    assert str(info.value).endswith("nope.yaml: cannot read the file: No such file or directory")  # no position in it


def test_errors_of_several_files_together(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("input: [3, 8, 8]\nlayers: [{type: conv, out: 0, kernel: 1}]\n")
    (tmp_path / "b.yaml").write_text("")
    with pytest.raises(SpecError) as info:
        load_files([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])
    assert [p.file.rsplit("/", 1)[-1] for p in info.value.problems] == ["a.yaml", "b.yaml"]


def test_error_in_second_document_is_located_there() -> None:
    text = "input: [3, 8, 8]\nlayers: [{type: pointwise, out: 4}]\n---\ninput: [3, 8, 8]\nlayers: [{type: pointwise, out: -4}]\n"
    assert errors(text) == ["net.yaml:5:33: layers[0]: out: expected a positive integer, found -4"]


# ---------------------------------------------------------------- hostile input


def test_error_alias_bomb_is_refused_without_expanding() -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(rows) + "\ninput: *i\nlayers: *i\n"  # 9⁹ = 387,420,489 leaves if expanded
    problems = errors(text)
    assert (
        problems[0]
        == "net.yaml:1:1: a: unknown key: expected one of name, params, variants, input, defaults, use, blocks, budget, layers"
    )
    # an alias is located at its anchor: composing keeps one node, not copies
    assert problems[9] == (
        "net.yaml:9:4: input: expected [channels, height, width] or {channels, height, width} of positive integers "
        "(1-D: [channels, length], 3-D: [channels, depth, height, width]), found a list of 9 items"
    )
    assert problems[10:] == [
        f"net.yaml:8:4: layers[{i}]: expected a layer mapping with a type, found a list of 9 items" for i in range(9)
    ]


def test_error_nesting_bomb_is_refused_before_parsing() -> None:
    text = "input: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert errors(text) == ["net.yaml:1:208: nesting deeper than 200 levels: not a network spec"]
    block = "input:\n" + "".join("  " * i + "- \n" for i in range(1, 1_000))
    assert errors(block)[0].endswith("nesting deeper than 200 levels: not a network spec")


def test_error_repeat_beyond_the_layer_bound() -> None:
    assert MAX_LAYERS == 100_000
    text = "input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 4, repeat: 60000}\n  - {type: pointwise, out: 4, repeat: 60000}\n"
    assert errors(text) == [
        "net.yaml:4:39: layers[1]: repeat: the specs would have more than 100,000 layers in all"
        " (the bound of one run; --max-layers N raises it)"
    ]


def test_repeat_with_from_chains_the_copies() -> None:
    # b.1 reads the input (8×16×16 → 16×8×8); b.2 reads b.1 (16×8×8 → 16×4×4), as repeat does without from
    network = load_one(
        "input: [8, 16, 16]\nlayers:\n  - {type: pointwise, out: 8}\n  - {name: b, type: conv, out: 16, kernel: 3, padding: 1, stride: 2, repeat: 2, from: input}\n"
    )
    assert [node.inputs for node in network.nodes] == [(), ("input",), ()]
    assert [layer.output for layer in cost_network(network).layers][1:] == [Shape(16, 8, 8), Shape(16, 4, 4)]


def test_error_pool_padding_beyond_half_the_kernel() -> None:
    # PyTorch refuses padding larger than half the kernel; so does dsc-cost
    assert errors("input: [8, 16, 16]\nlayers:\n  - {type: pool, kernel: 2, padding: 3}\n") == [
        "net.yaml:3:38: layers[0] (pool1): padding: expected at most half the kernel 2, found 3"
    ]


# ---------------------------------------------------------------- every field type-checked before use


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # these two ended in "TypeError: unhashable type" before any message
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: [conv], out: 4, kernel: 3}\n",
            [f"net.yaml:3:12: layers[0]: type: expected one of {TYPES}, found ['conv']"],
        ),
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: {a: 1}, out: 4, kernel: 3}\n",
            [f"net.yaml:3:12: layers[0]: type: expected one of {TYPES}, found a mapping"],
        ),
        (
            "input: [3, 8, 8]\nlayers:\n  - {type: conv, name: [a], out: 4, kernel: 3}\n  - {type: conv, name: {a: 1}, out: 4, kernel: 3}\n",
            [
                "net.yaml:3:24: layers[0]: name: expected a non-empty name, found ['a']",
                "net.yaml:4:24: layers[1]: name: expected a non-empty name, found a mapping",
            ],
        ),
        (
            "name: [a, b]\ninput: [3, 8, 8]\nlayers:\n  - {type: add, inputs: [input, [a]], from: x}\n",
            [
                "net.yaml:1:7: name: expected a non-empty name, found ['a', 'b']",
                "net.yaml:4:25: layers[0]: inputs: expected a list of two or more layer names, found a list of 2 items",
                "net.yaml:4:39: layers[0]: from: unknown field: add layers take inputs, name, repeat",
            ],
        ),
        # a key that is not a word is shown escaped
        (
            'input: [3, 8, 8]\nlayers:\n  - {type: pool, global: true, "\\e[2J": 1, 5: 2}\n',
            [
                "net.yaml:3:32: layers[0]: '\\x1b[2J': unknown field: pool layers take ceil_mode, from, global, kernel, "
                "mode, name, output, padding, repeat, stride",
                "net.yaml:3:44: layers[0]: 5: unknown field: pool layers take ceil_mode, from, global, kernel, mode, name, "
                "output, padding, repeat, stride",
            ],
        ),
    ],
)
def test_error_field_of_the_wrong_type(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


# ---------------------------------------------------------------- did you mean


def test_error_unknown_field_and_type_suggest_the_closest() -> None:
    text = "input: [3, 8, 8]\ndefaults: {paddng: same}\nlayers:\n  - {type: conv, out: 4, kernal: 3}\n  - {type: separabel, out: 4, kernel: 3}\n"
    assert errors(text) == [
        f"net.yaml:2:12: defaults.paddng: unknown layer field: expected one of {DEFAULTABLE}; did you mean 'padding'?",
        "net.yaml:4:26: layers[0]: kernal: unknown field: conv layers take batchnorm, bias, dilation, from, groups, "
        "kernel, name, out, padding, repeat, stride; did you mean 'kernel'?",
        "net.yaml:4:5: layers[0]: kernel: missing: conv layers need out, kernel",
        f"net.yaml:5:12: layers[1]: type: expected one of {TYPES}, found 'separabel'; did you mean 'separable'?",
    ]


def test_error_suggests_only_a_close_word() -> None:
    assert errors("inputs: [3, 8, 8]\nlayers:\n  - {type: xyz, out: 4}\n") == [
        "net.yaml:1:1: inputs: unknown key: expected one of name, params, variants, input, defaults, use, blocks, budget, layers; did you mean 'input'?",
        "net.yaml:1:1: input: missing: expected [channels, height, width]",
        f"net.yaml:3:12: layers[0]: type: expected one of {TYPES}, found 'xyz'",
    ]


# ---------------------------------------------------------------- names are data, not control


def test_error_names_with_control_characters_are_refused_and_shown_escaped() -> None:
    text = (
        'name: "x\\e[31mRED"\ninput: [3, 8, 8]\nlayers:\n'
        '  - {type: conv, out: 4, kernel: 3, name: "a\\n::error file=x::pwned"}\n'
        '  - {type: conv, out: 4, kernel: 1, from: "a\\n::error file=x::pwned"}\n'
        '  - {type: add, inputs: [input, "b\\0"]}\n'
    )
    problems = errors(text)
    assert problems == [
        "net.yaml:1:7: name: expected a name without control characters, found 'x\\x1b[31mRED'",
        "net.yaml:4:43: layers[0]: name: expected a name without control characters, found 'a\\n::error file=x::pwned'",
        "net.yaml:5:43: layers[1]: from: expected a name without control characters, found 'a\\n::error file=x::pwned'",
        "net.yaml:6:25: layers[2]: inputs: expected a name without control characters, found 'b\\x00'",
    ]
    assert all(character.isprintable() for line in problems for character in line)


def test_the_control_characters_are_unicode_category_cc() -> None:
    import sys
    import unicodedata

    from dsc_cost.layers.base import Invalid, plain_name

    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            plain_name(character)
            refused = False
        except Invalid:
            refused = True
        assert refused == (unicodedata.category(character) == "Cc"), hex(code)


def test_a_name_of_other_unicode_is_data() -> None:
    network = load_one("name: Réseau λ 网络\ninput: [3, 8, 8]\nlayers: [{type: pointwise, out: 4, name: ß→ü}]\n")
    assert (network.name, network.nodes[0].name) == ("Réseau λ 网络", "ß→ü")


# ---------------------------------------------------------------- shape problems, all at once


def test_error_every_shape_problem_of_every_network_at_once() -> None:
    # a 3×3 conv on 8×8 gives 6×6 (8 − 3 + 1): the add with the 8×8 input, the 9×9 pool on 6×6 and the
    # concat of 6×6 with 8×8 all fail; `after` reads the failed add, so its own fit is unknown: left out
    text = (
        "input: [3, 8, 8]\nlayers:\n"
        "  - {name: a, type: conv, out: 4, kernel: 3}\n"
        "  - {name: b, type: conv, out: 4, kernel: 1, from: a}\n"
        "  - {name: sum, type: add, inputs: [a, input]}\n"
        "  - {name: after, type: conv, out: 4, kernel: 7}\n"
        "  - {name: big, type: pool, kernel: 9, from: b}\n"
        "  - {name: cat, type: concat, inputs: [b, input]}\n"
        "---\nname: second\ninput: [3, 8, 8]\nlayers:\n"
        "  - {type: conv, out: 4, kernel: 3, groups: 2}\n"
    )
    assert errors(text) == [
        "net.yaml:5:36: layers[2] (sum): inputs: add needs equal shapes, found 4×6×6 and 3×8×8",
        "net.yaml:7:37: layers[4] (big): kernel: kernel 9 (dilation 1) does not fit the input height 6 with padding 0: "
        "output height would be 0",
        "net.yaml:8:39: layers[5] (cat): inputs: concat needs equal height and width, found 4×6×6 and 3×8×8",
        "net.yaml:13:45: layers[0] (conv1): groups: groups 2 must divide both in channels 3 and out 4",
    ]


def test_equal_layers_are_one_value_and_each_is_still_costed() -> None:
    text = """\
input: [8, 4, 4]
layers:
  - {type: upsample, scale: 2}
  - {type: upsample, scale: [2, 2], from: input}
  - {type: conv, out: 8, kernel: 1, from: input}
  - {type: conv, out: 8, kernel: 1, from: input}
  - {type: pointwise, out: 8, from: input}
  - {type: conv, out: 8, kernel: 1, from: input, bias: true}
"""
    [spec] = load_text(text, "net.yaml")
    up1, up2, conv1, conv2, pointwise, biased = (node.layer for node in spec.network.nodes)
    assert up1 is up2 and conv1 is conv2  # the same fields, written either way: one value
    assert pointwise is not conv1 and biased is not conv1  # another type, or another field
    [result] = cost_specs([spec])
    # each 1×1 conv 8 → 8 on 4×4: 8·8 = 64 weights, 64·16 = 1,024 mults; the biased one 8 more params
    assert [layer.cost for layer in result.layers[2:]] == [(64, 1024), (64, 1024), (64, 1024), (72, 1024)]
