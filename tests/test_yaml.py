"""The fast construction of PyYAML's nodes gives exactly what PyYAML's safe loader gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dsc_cost.readers import yamltext as spec_module
from dsc_cost.spec import load_text


def reference(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=yaml.CSafeLoader))


SCALARS = [
    "0", "7", "010", "0x1F", "0b101", "0o17", "+12", "-3", "1_000", "1:30", "1.5", "-.5", "1e3", ".inf", "-.Inf",
    ".nan", "true", "True", "yes", "No", "off", "ON", "null", "~", "Null", "", "2024-01-02", "2024-01-02 03:04:05",
    "'quoted 1'", '"2"', "same", "1.2.3", "٣", "!!str 5", "!!int '7'", "!!float 1", "!!binary aGk=",
]  # fmt: skip


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars(scalar: str) -> None:
    text = f"key: {scalar}\nlist: [{scalar}]\n"
    assert spec_module.load_yaml(text) == reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",  # merge keys
        "a: &a [1, 2]\nb: *a\n",
        "- !!set {a, b}\n- !!omap [{a: 1}, {b: 2}]\n- !!pairs [{a: 1}]\n",
        "a: 1\na: 2\n",  # a duplicate key: the last wins, as in PyYAML
        "? [1, 2]\n: x\n",  # an unhashable key: the same error
        "---\na: 1\n---\n---\nb: [2]\n",  # several documents, one empty
        "",
        "# only a comment\n",
        "{1: one, 2.5: two, null: three, true: four}\n",
    ],
)
def test_structures(text: str) -> None:
    try:
        expected = reference(text)
    except yaml.YAMLError as error:
        with pytest.raises(type(error)) as info:
            spec_module.load_yaml(text)
        assert str(info.value) == str(error)
        return
    assert spec_module.load_yaml(text) == expected


keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | keys
data = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=20
)


@settings(max_examples=200)
@given(value=data, flow=st.sampled_from([True, False, None]))
def test_round_trip_matches_pyyaml(value: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert spec_module.load_yaml(text) == reference(text)


def test_aliases_stay_shared() -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    [document] = spec_module.load_yaml("\n".join(rows) + "\n")
    assert document["i"][0] is document["i"][1] is document["h"]  # 9⁹ leaves if copied; 81 objects here


def test_without_libyaml_the_pure_python_loader_is_used_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spec_module, "has_c_loader", lambda: False)
    text = "input: &shape [3, 8, 8]\nlayers: [{type: pointwise, out: 4}]\n"
    assert spec_module.load_yaml(text) == reference(text)
    warnings: list[str] = []
    [spec] = load_text(text, "net.yaml", warnings.append)
    assert spec.network.nodes[0].name == "pointwise1"
    assert warnings == ["PyYAML was built without libyaml: reading YAML with its slower pure-Python loader"]
