"""The registry itself: every type registered in order, the interface docs and help read, type-only equality."""

from __future__ import annotations

import yaml

from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import REGISTRY, Field, LayerType
from dsc_cost.layers.base import Layer, as_separable, as_standard
from dsc_cost.network import AddLayer, ConcatLayer, ConvLayer, SeparableLayer, what_ifs
from dsc_cost.spec import cost_specs, load_text

X = Shape(4, 16, 16)  # the input every example fits


def test_every_type_in_order() -> None:
    eight = ["conv", "separable", "depthwise", "pointwise", "linear", "pool", "add", "concat"]
    assert [name for name in REGISTRY if name in eight] == eight  # a type added later goes where its order says
    for name, layer_type in REGISTRY.items():
        assert isinstance(layer_type, LayerType)
        assert layer_type.name == name
        assert layer_type.doc and "\n" not in layer_type.doc
        assert all(isinstance(field, Field) for field in layer_type.fields)


def test_fields_say_what_they_take() -> None:
    for layer_type in REGISTRY.values():
        for field in layer_type.fields:
            assert field.expected and isinstance(field.required, bool) and isinstance(field.defaultable, bool)
            assert field.default is None or isinstance(field.default, str)
            assert not (field.required and field.default is not None), (layer_type.name, field.name)
        assert layer_type.required == tuple(f.name for f in layer_type.fields if f.required)
        # a type reads one input (`from`) or several (`inputs`), never both
        assert ("from" in layer_type.allowed) != layer_type.multi_input
        assert {"name", "repeat"} <= layer_type.allowed


def test_a_layer_equals_only_a_layer_of_its_own_type() -> None:
    # layers are named tuples; a conv and a separable layer with the same numbers must still differ
    assert ConvLayer(8, (3, 3)) == ConvLayer(8, (3, 3))
    assert ConvLayer(8, (3, 3)) != SeparableLayer(8, (3, 3))
    assert AddLayer() != ConcatLayer()
    assert len({ConvLayer(8, (3, 3)), SeparableLayer(8, (3, 3)), ConvLayer(8, (3, 3))}) == 2
    for layer_type in REGISTRY.values():  # every registered type, not only those named here
        assert layer_type.layer.__eq__ is not tuple.__eq__


def test_every_example_is_valid_and_has_every_field() -> None:
    for layer_type in REGISTRY.values():
        example = yaml.safe_load(layer_type.example)
        assert example.pop("type") == layer_type.name
        assert set(example) == {f.name for f in layer_type.fields}, layer_type.name
        text = f"input: [4, 16, 16]\nlayers:\n  - {layer_type.example}\n"
        [result] = cost_specs(load_text(text, "example.yaml"))
        assert result.network.nodes[0].layer == layer_type.build(
            {key: layer_type.by_name[key].parse(value) for key, value in example.items()}
        )


def chain(layers: tuple[Layer, ...], inputs: tuple[Shape, ...]) -> tuple[Shape, Cost]:
    """The output and the summed cost of ``layers`` applied one after the other."""
    total = Cost(0, 0)
    for layer in layers:
        result = layer.evaluate(inputs)
        total += result.cost
        inputs = (result.output,)
    return inputs[0], total


def test_the_what_ifs_are_what_the_layers_a_layer_becomes_cost() -> None:
    # one rule: a layer's what-if costs are those of the layers it becomes (itself when it stays), run in order
    for layer_type in REGISTRY.values():
        example = yaml.safe_load(layer_type.example)
        values = {k: layer_type.by_name[k].parse(v) for k, v in example.items() if k != "type"}
        layer = layer_type.build(values)
        inputs = (X, X) if layer_type.multi_input else (X,)
        result = layer.evaluate(inputs)
        standard, separable = what_ifs(layer, inputs)
        assert chain(as_standard(layer, inputs), inputs) == (result.output, standard), layer_type.name
        assert chain(as_separable(layer), inputs) == (result.output, separable), layer_type.name


def test_a_field_takes_defaults_only_when_it_says_so() -> None:
    from dsc_cost.layers.base import field, flag

    assert not field("new", flag, "true or false").defaultable  # a field added later is never set by defaults:
    assert field("new", flag, "true or false", defaultable=True).defaultable
    # the fields that say so: a spec's defaults reach them (conv's groups), and never the others (split's parts)
    assert REGISTRY["conv"].by_name["groups"].defaultable and not REGISTRY["split"].by_name["parts"].defaultable


def test_what_walkers_ask_of_any_layer() -> None:
    from dsc_cost.layers.base import channel_fields, intermediate_values, is_view, kernels, part_count, parts
    from dsc_cost.network import PointwiseLayer, SplitLayer

    separable = SeparableLayer(8, (3, 3), padding="same", multiplier=2)
    x = Shape(3, 8, 8)
    assert [type(k).__name__ for k in kernels(separable)] == ["DepthwiseLayer", "PointwiseLayer"]
    # its depthwise output: 3·2 channels at 8×8 positions, 384 values; a layer of one kernel makes none
    assert intermediate_values(separable, (x,), Shape(8, 8, 8)) == 6 * 8 * 8
    assert intermediate_values(PointwiseLayer(8), (x,), Shape(8, 8, 8)) == 0
    split = SplitLayer(sizes=(1, 2))
    assert (part_count(split), is_view(split), parts(split, x)) == (2, True, (Shape(1, 8, 8), Shape(2, 8, 8)))
    assert (part_count(separable), is_view(separable), parts(separable, x)) == (0, False, ())
    assert channel_fields(separable) == ("out",) and channel_fields(split) == ()
