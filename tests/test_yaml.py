"""The fast YAML construction gives exactly what PyYAML's safe C loader gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dsc_cost import _yaml
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
    assert _yaml.load_all(text) == reference(text)


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
            _yaml.load_all(text)
        assert str(info.value) == str(error)
        return
    assert _yaml.load_all(text) == expected


keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | keys
data = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=20
)


@settings(max_examples=200)
@given(value=data, flow=st.sampled_from([True, False, None]))
def test_round_trip_matches_pyyaml(value: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert _yaml.load_all(text) == reference(text)


def test_aliases_stay_shared() -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    [document] = _yaml.load_all("\n".join(rows) + "\n")
    assert document["i"][0] is document["i"][1] is document["h"]  # 9⁹ leaves if copied; 81 objects here


def test_without_libyaml_the_pure_python_loader_is_used_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "has_c_loader", lambda: False)
    text = "input: &shape [3, 8, 8]\nlayers: [{type: pointwise, out: 4}]\n"  # an anchor: PyYAML reads it
    assert _yaml.load_all_plain(text) is None
    assert _yaml.load_all(text) == reference(text)
    warnings: list[str] = []
    [spec] = load_text(text, "net.yaml", warnings.append)
    assert spec.network.nodes[0].name == "pointwise1"
    assert warnings == ["PyYAML was built without libyaml: reading YAML with its slower pure-Python loader"]


# ---------------------------------------------------------------- the plain subset read without PyYAML

WORDS = ["conv", "same", "layers", "name", "a b", "x1", "on", "Off", "yes", "NO", "null", "Null", "true", "y", "n"]
NUMBERS = ["0", "7", "224", "010", "1_000", "600M", "4.5m", "1.5", "1e3", "12:30", "2024-01-02", "0x1F", "-3", "+4"]
PIECES = [
    *WORDS, *NUMBERS, ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", ",", " #c", "#", "'q'", '"d"', "'", '"',
    "\n", "\n  ", "\n    ", "\n---\n", "---", "...", " ", "&a ", "*a", "!!str ", "|", ">", "?", "%",
]  # fmt: skip


@settings(max_examples=600)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_plain_subset_never_disagrees_with_pyyaml(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain = _yaml.load_all_plain(text)
    if plain is None:
        return  # outside the subset: PyYAML reads it
    assert plain == reference(text), text


spec_scalars = st.sampled_from([*WORDS, "0", "7", "224", "600M", "4.5M", "seed 7x7x3 to 128, separable", "VGG-16"])
spec_values = st.recursive(
    spec_scalars | st.integers(0, 10**6) | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(WORDS), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(
    value=st.dictionaries(st.sampled_from(WORDS), spec_values, max_size=5), flow=st.sampled_from([True, False, None])
)
def test_plain_subset_reads_specs_as_pyyaml_does(value: dict[str, Any], flow: bool | None) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, sort_keys=False, width=10_000)
    plain = _yaml.load_all_plain(text)
    if plain is not None:
        assert plain == reference(text), text


@pytest.mark.parametrize(
    "text",
    [
        "name: MobileNet V1 1.0-224\ninput: [3, 224, 224]\ndefaults: {padding: same}  # comment\n",
        "budget: {max_params: 4.5M, max_mults: 600M}\nlayers:\n  - {name: conv1, type: conv, out: 32}\n",
        "layers:\n- {type: pool, global: true}\n- type: linear\n  out: 10\n  bias: on\nname: x\n",
        "---\na: 1\n---\n---\nb: [2, {c: null}]\n",
        "a: 1\n---\n",
        "a:\nb: ''\nc: \"x y\"\n",
        "seq:\n  - 1\n  - two words\n  - [3, [4, {}]]\n",
        "1: one\non: two\n",
        "a: 1\na: 2\n",
        "a: b #c\n#d: '\n",
        "# only comments\n",
        "",
    ],
)
def test_plain_subset_cases(text: str) -> None:
    plain = _yaml.load_all_plain(text)
    assert plain is not None, text
    assert plain == reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1.5\n",
        "a: 010\n",
        "a: 2024-01-02\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 5\n",
        "a: |\n  text\n",
        "a: [1,\n  2]\n",
        "a:\tb\n",
        "a: 'it''s'\n",
        'a: "\\n"\n',
        "a: b: c\n",
        "- - 1\n",
        "a: [1, 2,]\n",
        "  a: 1\n",
        "a: 1\n  b: 2\n",
        "? a\n: 1\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: .inf\n",
        "a: 1:30\n",
        "a: ~\n",
        "a: <<\n",
    ],
)
def test_plain_subset_leaves_the_rest_to_pyyaml(text: str) -> None:
    assert _yaml.load_all_plain(text) is None, text
