"""Layer types from outside the package: a plugin installed with an entry point in the group ``dsc_cost.layers``
(the one docs/api.md shows), found when a spec names its type, costed and listed as the built-in ones are."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import ROOT, Run

from dsc_cost import layers, readers
from dsc_cost.formulas import Cost, Shape
from dsc_cost.layers import base
from dsc_cost.spec import cost_specs, load_text


def plugin_source() -> str:
    """The plugin module of docs/api.md: the Python block after its ``<!-- plugin -->`` mark."""
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- plugin -->\n```python\n(.*?)```", page, re.S)
    assert found, "docs/api.md has no plugin example"
    return found.group(1)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The plugin installed as a package would be: its module and a distribution's metadata with the entry
    point, on the import path; the registry as it was afterwards."""
    (tmp_path / "my_layers.py").write_text(plugin_source(), encoding="utf-8")
    info = tmp_path / "my_layers-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-layers\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[dsc_cost.layers]\nzeropad = my_layers\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    types, registry = list(base._TYPES), dict(base.REGISTRY)
    monkeypatch.setattr(layers, "_plugins", [])
    yield tmp_path
    base._TYPES[:] = types
    base.REGISTRY.clear()
    base.REGISTRY.update(registry)
    sys.modules.pop("my_layers", None)


SPEC = "input: [8, 4, 4]\nlayers:\n  - {type: zeropad, pad: 1}\n  - {type: conv, out: 4, kernel: 3, padding: 1}\n"


def test_a_spec_naming_a_plugins_type_loads_it(installed: Path) -> None:
    assert "zeropad" not in layers.REGISTRY
    [result] = cost_specs(load_text(SPEC, "net.yaml"))
    assert layers.load_plugins() == ["zeropad"]
    # 8×4×4 → 8×6×6 (a zero each side), then a 3×3 conv 8 → 4 on 6×6: 288 weights, 288·36 mults
    assert [layer.output for layer in result.layers] == [Shape(8, 6, 6), Shape(4, 6, 6)]
    assert result.total == Cost(288, 288 * 36)
    assert list(layers.REGISTRY)[-1] == "zeropad"  # its order (200) puts it last


def test_a_plugins_problems_are_located(installed: Path) -> None:
    from dsc_cost.errors import SpecError

    with pytest.raises(SpecError) as info:
        cost_specs(load_text(SPEC.replace("[8, 4, 4]", "[8, 4, 4, 4]"), "net.yaml"))
    assert "pad: expected a 2-D input (C×H×W), found 8×4×4×4" in str(info.value)


def test_the_command_line_costs_it_and_a_broken_plugin_is_one_line(installed: Path, run: Run) -> None:
    spec = installed / "net.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    code, out, err = run("network", str(spec), "--format", "csv")
    assert (code, err) == (0, "") and ",zeropad,8x4x4,8x6x6,0,0," in out
    layers._plugins.clear()
    base._TYPES[:] = [t for t in base._TYPES if t.name != "zeropad"]
    base.REGISTRY.pop("zeropad")
    sys.modules.pop("my_layers", None)
    (installed / "my_layers.py").write_text("raise RuntimeError('broken')\n", encoding="utf-8")
    code, out, err = run("network", str(spec))
    assert (code, out) == (2, "")
    assert err.strip() == "the layer plugin 'zeropad' (my_layers) cannot be loaded: broken"


def test_a_type_cannot_be_registered_twice() -> None:
    class Again(NamedTuple):
        out: int

    with pytest.raises(ValueError, match="layer type 'conv' is registered already"):
        base.register("conv", "again", (), order=1, example="{type: conv}")(Again)
    assert layers.REGISTRY["conv"].layer is not Again


# ---------------------------------------------------------------- readers


def reader_source() -> str:
    """The reader plugin of docs/api.md: the Python block after its ``<!-- reader -->`` mark."""
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- reader -->\n```python\n(.*?)```", page, re.S)
    assert found, "docs/api.md has no reader example"
    return found.group(1)


@pytest.fixture
def reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The reader plugin installed as a package would be, with the entry point of docs/api.md; the readers as they
    were afterwards."""
    (tmp_path / "my_reader.py").write_text(reader_source(), encoding="utf-8")
    info = tmp_path / "my_reader-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-reader\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[dsc_cost.readers]\n.chain = my_reader:load_chain\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(readers, "_plugins", [])
    monkeypatch.setattr(readers, "READERS", dict(readers.READERS))
    yield tmp_path
    sys.modules.pop("my_reader", None)


def test_a_file_of_a_plugins_kind_is_read_by_it(reader: Path, run: Run) -> None:
    chain = reader / "tiny.chain"
    chain.write_text("8×4×4\n16\n", encoding="utf-8")
    code, out, err = run("network", str(chain), "--format", "csv")
    assert (code, err) == (0, "")
    # 3×3 depthwise on 8 channels (72 weights, 72·16 mults) then 8 → 16 pointwise (128 weights, 128·16 mults)
    assert ",separable,8x4x4,16x4x4,200,3200," in out
    assert readers.load_readers() == [".chain"]
    assert readers.READERS[".chain"] == "my_reader:load_chain"


def test_the_plugins_are_read_only_for_a_suffix_not_known(reader: Path) -> None:
    from dsc_cost.spec import load_files

    spec = reader / "net.yaml"
    spec.write_text("input: [8, 4, 4]\nlayers:\n  - {type: pointwise, out: 4}\n", encoding="utf-8")
    load_files([str(spec)])
    assert readers._plugins == []  # a spec: no package's metadata read
    assert readers.reader_for("x.chain") is not None
    assert readers._plugins == ["", ".chain"]


def test_a_reader_that_cannot_be_imported_is_one_located_line(reader: Path, run: Run) -> None:
    (reader / "my_reader.py").write_text("raise ImportError('no such thing')\n", encoding="utf-8")
    chain = reader / "tiny.chain"
    chain.write_text("8×4×4\n16\n", encoding="utf-8")
    code, out, err = run("network", str(chain))
    assert (code, out) == (2, "")
    assert "cannot read the file: its reader 'my_reader:load_chain' cannot be loaded: no such thing" in err
