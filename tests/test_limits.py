"""Hostile and broken input through the command line: the work of a run is bounded (layers in all, the
bytes of a file) before it is done; positions are found once per file; what a message quotes is short;
YAML values PyYAML refuses late, control characters and keys given twice are one located line each.
Every case ends in exit 2 with one line per problem and no traceback; time is asserted only loosely (the
real figures are printed by benchmarks/bounds.py)."""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import Run

from dsc_cost import spec as spec_module
from dsc_cost.cli import params
from dsc_cost.readers import yamltext
from dsc_cost.spec import MAX_FILE_SIZE, MAX_LAYERS, BoundError, Bounds, Positions, SpecError, load_files, load_text

COMMANDS = ("network", "sweep", "check", "conventions")
BOUND = "(the bound of one run; --max-layers N raises it)"


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err[:2000]
    assert "Traceback" not in err
    return lines[0]


def spec_file(tmp_path: Path, text: str, name: str = "net.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def pools(count: int, name: str = "p") -> str:
    """A spec of ``count`` layers, each listed (no repeat)."""
    return f"name: {name}\ninput: [3, 8, 8]\nlayers:\n" + "  - {type: pool, global: true}\n" * count


# ---------------------------------------------------------------- the size of a file


def test_the_defaults_are_those_of_the_issue_and_the_options_say_the_same() -> None:
    assert (MAX_LAYERS, MAX_FILE_SIZE) == (100_000, 32_000_000) == (params.MAX_LAYERS, params.MAX_FILE_SIZE)
    assert Bounds() == (MAX_LAYERS, MAX_FILE_SIZE, ())  # and no folder allowed to includes beyond the defaults


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("32M", 32 * 1000**2),
        ("64MiB", 64 * 1024**2),
        ("1000", 1000),
        ("1_000B", 1000),
        ("2k", 2000),
        ("2KiB", 2048),
        ("1G", 10**9),
        ("1gib", 1024**3),
    ],
)
def test_file_sizes_as_people_write_them(text: str, size: int) -> None:
    assert params.file_size(text) == size


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_endless_file_is_one_line_and_exit_2(run: Run, command: str, device: str) -> None:
    start = time.perf_counter()
    code, out, err = run(command, device)
    assert code == 2 and out == ""
    assert one_line(err) == (
        f"{device}:1:1: the file is larger than 32,000,000 bytes (the bound of one file; --max-file-size SIZE raises it)"
    )
    assert time.perf_counter() - start < 30  # reads 32 MB and a byte, never the endless rest


def test_standard_input_is_bounded_too(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    endless = io.BytesIO(b"\0" * 5000)
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=endless, isatty=lambda: False))
    code, out, err = run("network", "-", "--max-file-size", "4KiB")
    assert code == 2 and out == ""
    assert one_line(err) == (
        "-:1:1: the file is larger than 4,096 bytes (the bound of one file; --max-file-size SIZE raises it)"
    )
    assert endless.tell() == 4097  # no more than the bound and one byte was read


def test_a_file_at_the_bound_is_read_and_one_byte_more_is_not(run: Run, tmp_path: Path) -> None:
    text = pools(1)
    path = spec_file(tmp_path, text)
    size = len(text.encode())
    assert run("network", path, "--max-file-size", str(size), "--format", "csv")[0] == 0
    code, _, err = run("network", path, "--max-file-size", str(size - 1))
    assert code == 2 and f"larger than {size - 1:,} bytes" in one_line(err)


def test_a_bad_size_is_a_usage_error(run: Run) -> None:
    code, out, err = run("network", "configs/mobilenet_v1.yaml", "--max-file-size", "32X")
    assert code == 2 and out == ""
    assert "Invalid value for '--max-file-size': expected a size such as 32M, 64MiB or 1000000 (bytes)" in err


def test_a_million_layer_file_is_refused_by_its_size(run: Run, tmp_path: Path) -> None:
    # 36 bytes a layer: a million layers are 36 MB, more than the 32 MB bound
    path = tmp_path / "million.yaml"
    path.write_text("input: [3, 8, 8]\nlayers:\n" + "  - {type: conv, out: 8, kernel: 3}\n" * 1_000_000)
    start = time.perf_counter()
    code, _, err = run("network", str(path))
    assert code == 2 and "the file is larger than 32,000,000 bytes" in one_line(err)
    assert time.perf_counter() - start < 30


# ---------------------------------------------------------------- layers in all


def test_twenty_documents_of_a_hundred_thousand_copies_are_refused_at_once(run: Run, tmp_path: Path) -> None:
    document = "---\ninput: [3, 8, 8]\nlayers: [{type: pool, global: true, repeat: 100000}]\n"
    path = spec_file(tmp_path, document * 20)
    start = time.perf_counter()
    code, out, err = run("network", path)
    # the first document has 100,000 layers, the bound itself; the second's layer (line 6) would pass it
    assert code == 2 and out == ""
    assert (
        one_line(err) == f"{path}:6:45: layers[0]: repeat: the specs would have more than 100,000 layers in all {BOUND}"
    )
    assert time.perf_counter() - start < 30


@pytest.mark.parametrize("command", COMMANDS)
def test_the_bound_sums_every_document_of_every_file(run: Run, tmp_path: Path, command: str) -> None:
    one = spec_file(tmp_path, pools(60, "one") + "---\n" + pools(30, "two"), "one.yaml")
    two = spec_file(tmp_path, pools(20, "three"), "two.yaml")
    files = [one] if command == "sweep" else [one, two]
    limit = "80" if command == "sweep" else "100"
    code, out, err = run(command, *files, "--max-layers", limit)
    assert code == 2 and out == ""
    if command == "sweep":  # 60 + 30 > 80: the 21st layer of the second document (63 lines, ---, 3 lines, 20)
        assert one_line(err) == f"{one}:88:5: layers[20]: the specs would have more than 80 layers in all {BOUND}"
    else:  # 60 + 30 + 20 > 100: the 11th layer of the second file
        assert one_line(err) == f"{two}:14:5: layers[10]: the specs would have more than 100 layers in all {BOUND}"
    code, _, err = run(command, *files, "--max-layers", "110")
    assert code == 0, err


def test_the_problems_before_the_bound_are_reported_with_it(run: Run, tmp_path: Path) -> None:
    bad = spec_file(tmp_path, "input: [3, 8, 8]\nlayers: [{type: pool, global: true, bogus: 1}]\n", "bad.yaml")
    big = spec_file(tmp_path, pools(5), "big.yaml")
    never = spec_file(tmp_path, "input: [3, 8, 8]\nlayers: [{type: nope}]\n", "never.yaml")
    code, _, err = run("network", bad, big, never, "--max-layers", "3")
    lines = err.splitlines()
    assert code == 2 and len(lines) == 2  # nothing after the bound is read
    assert lines[0].startswith(f"{bad}:2:37: layers[0]: bogus: unknown field")
    # every layer listed counts, a bad one too: bad.yaml's, then big.yaml's first three
    assert lines[1] == f"{big}:6:5: layers[2]: the specs would have more than 3 layers in all {BOUND}"


def test_the_bound_is_checked_before_the_layers_are_built() -> None:
    text = "input: [3, 8, 8]\nlayers:\n  - {type: pool, global: true}\n  - {type: pool, global: true, repeat: 100000}\n"
    start = time.perf_counter()
    with pytest.raises(BoundError) as info:
        load_text(text, "net.yaml")
    assert time.perf_counter() - start < 30
    assert [str(p) for p in info.value.problems] == [
        f"net.yaml:4:40: layers[1]: repeat: the specs would have more than 100,000 layers in all {BOUND}"
    ]
    assert isinstance(info.value, SpecError)


def test_load_files_takes_the_bounds(tmp_path: Path) -> None:
    path = spec_file(tmp_path, pools(3))
    with pytest.raises(BoundError):
        load_files([path, path], bounds=Bounds(max_layers=5))
    assert len(load_files([path, path], bounds=Bounds(max_layers=6))) == 2
    with pytest.raises(SpecError, match="larger than 10 bytes"):
        load_files([path], bounds=Bounds(max_file_size=10))


def test_a_long_layer_name_is_refused_before_its_copies_are_named(run: Run, tmp_path: Path) -> None:
    name = "n" * 100_000
    path = spec_file(
        tmp_path, f"input: [3, 8, 8]\nlayers: [{{type: pool, global: true, name: {name}, repeat: 1000}}]\n"
    )
    code, _, err = run("network", path)
    assert code == 2
    assert (
        one_line(err)
        == f"{path}:2:43: layers[0]: name: expected a name of at most 1,000 characters, found one of 100,000"
    )


# ---------------------------------------------------------------- messages stay small


def test_an_alias_shared_by_two_thousand_names_gives_small_messages(run: Run, tmp_path: Path) -> None:
    big = "x" * 100_000
    layers = [f"  - {{type: pool, global: true, name: &n {big[:500]}}}"]  # a 500-character name, shared below
    layers += ["  - {type: pool, global: true, name: *n}"] * 1999
    path = spec_file(tmp_path, "input: [3, 8, 8]\nlayers:\n" + "\n".join(layers) + "\n")
    code, _, err = run("network", path, "--max-problems", "0")  # every problem shown
    lines = err.splitlines()
    assert code == 2 and len(lines) == 1999
    assert max(map(len, lines)) < len(path) + 300
    assert lines[0].endswith(f"name: expected a unique name, found '{'x' * 78}… again")
    assert "(" + "x" * 79 + "…)" in lines[0]  # the layer, named by its name cut to 80 characters

    # a 100 KB string as an unknown key and as an unknown reference of 2,000 layers
    layers = [f"  - {{type: pool, global: true, &k {big}: 1}}"]
    layers += ["  - {type: pool, global: true, from: *k}"] * 1999
    path = spec_file(tmp_path, "input: [3, 8, 8]\nlayers:\n" + "\n".join(layers) + "\n")
    code, _, err = run("network", path)
    assert code == 2 and len(err) < 2000 * 300
    assert all(len(line) < len(path) + 300 for line in err.splitlines())


@pytest.mark.parametrize(("size", "names"), [(100_000, 2000), (1_000_000, 5000)])
def test_the_alias_bombs_of_the_issue(run: Run, tmp_path: Path, size: int, names: int) -> None:
    # one string shared by every name: 400 MB of stderr and a MemoryError before
    layers = ["  - {type: pool, global: true, name: &n " + "x" * size + "}"]
    layers += ["  - {type: pool, global: true, name: *n}"] * (names - 1)
    path = spec_file(tmp_path, "input: [3, 8, 8]\nlayers:\n" + "\n".join(layers) + "\n")
    start = time.perf_counter()
    code, out, err = run("network", path, "--max-problems", "0")  # every problem shown
    assert time.perf_counter() - start < 30
    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == names and len(err) < 1_000_000
    assert lines[-1] == (  # an alias's value is where it is written: at its anchor
        f"{path}:3:38: layers[{names - 1}]: name: expected a name of at most 1,000 characters, found one of {size:,}"
    )


def test_the_last_line_of_defence_cuts_a_long_message() -> None:
    from dsc_cost.errors import Located

    line = str(Located("f.yaml", 1, 2, "w" * 500, "f" * 500, "m" * 5000))
    assert line == f"f.yaml:1:2: {'w' * 199}…: {'f' * 199}…: {'m' * 999}…"


# ---------------------------------------------------------------- YAML values refused late, control characters


@pytest.mark.parametrize(
    ("layer", "column", "message"),
    [
        ("{type: conv, out: !!int abc, kernel: 3}", 23, "not valid YAML: 'abc' is not a valid int"),
        ("{type: conv, out: !!int '', kernel: 3}", 23, "not valid YAML: '' is not a valid int"),
        (
            "{type: conv, out: !!float abc, kernel: 3}",
            23,
            "not valid YAML: 'abc' is not a valid float: could not convert string to float: 'abc'",
        ),
        ("{type: conv, out: 8, bias: !!bool maybe, kernel: 3}", 32, "not valid YAML: 'maybe' is not a valid bool"),
        (
            "{type: conv, out: 8, kernel: 3, name: !!timestamp 2001-99-99}",
            43,
            "not valid YAML: '2001-99-99' is not a valid timestamp: month must be in 1..12",
        ),
    ],
)
def test_values_pyyaml_refuses_late_are_located(
    run: Run, tmp_path: Path, layer: str, column: int, message: str
) -> None:
    path = spec_file(tmp_path, f"input: [3, 8, 8]\nlayers:\n  - {layer}\n")
    code, out, err = run("network", path)
    assert code == 2 and out == ""
    assert one_line(err) == f"{path}:3:{column}: {message}"


def test_a_network_name_that_is_no_timestamp(run: Run, tmp_path: Path) -> None:
    path = spec_file(tmp_path, "input: [3, 8, 8]\nname: !!timestamp 2001-99-99\nlayers: [{type: pool, global: true}]\n")
    code, _, err = run("network", path)
    assert code == 2 and one_line(err).startswith(f"{path}:2:7: not valid YAML: '2001-99-99' is not a valid timestamp")


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_is_one_located_line(run: Run, tmp_path: Path, character: str) -> None:
    path = spec_file(tmp_path, f"input: [3, 8, 8]\nlayers: [{{type: conv, out: 8{character}, kernel: 3}}]\n")
    code, out, err = run("network", path)
    assert code == 2 and out == ""
    code_point = f"U+{ord(character):04X}"
    kind = "character" if character == "\ufffe" else "control character"  # a noncharacter, not a control
    assert one_line(err) == f"{path}:2:29: not valid YAML: the {kind} {code_point} is not allowed"


def test_a_yaml_error_of_several_lines_is_one_line(run: Run, tmp_path: Path) -> None:
    path = spec_file(tmp_path, "input: [3, 8, 8]\nlayers: [{type: conv, out: 8, kernel: 3}\n")
    code, _, err = run("network", path)
    assert code == 2 and one_line(err).startswith(f"{path}:")


# ---------------------------------------------------------------- keys and names given twice


def test_a_key_given_twice_is_refused_at_its_second_place(run: Run, tmp_path: Path) -> None:
    path = spec_file(tmp_path, "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, out: 16, kernel: 3}\n")
    code, out, err = run("network", path)
    assert code == 2 and out == ""
    assert one_line(err) == (
        f"{path}:3:26: layers[0]: out: duplicate key: given first at line 3, column 18; a key may be given once"
    )


def test_a_key_given_twice_in_json(run: Run, tmp_path: Path) -> None:
    text = '{"input": [3, 8, 8],\n "layers": [{"type": "conv", "out": 8, "out": 16, "kernel": 3}]}\n'
    path = spec_file(tmp_path, text, "net.json")
    code, out, err = run("network", path)
    assert code == 2 and out == ""
    assert one_line(err) == (
        f"{path}:2:40: layers[0]: out: duplicate key: given first at line 2, column 30; a key may be given once"
    )
    assert json.loads(text)["layers"][0]["out"] == 16  # what json alone would have made of it


def test_the_value_in_effect_is_located_where_it_is_written(run: Run, tmp_path: Path) -> None:
    path = spec_file(tmp_path, "input: [3, 8, 8]\nlayers:\n  - type: conv\n    out: 8\n    out: 0\n    kernel: 3\n")
    code, _, err = run("network", path)
    assert code == 2
    assert err.splitlines() == [
        f"{path}:5:5: layers[0]: out: duplicate key: given first at line 4, column 5; a key may be given once",
        f"{path}:5:10: layers[0]: out: expected a positive integer, found 0",
    ]


def test_a_merge_key_given_twice(run: Run, tmp_path: Path) -> None:
    path = spec_file(
        tmp_path, "input: [3, 8, 8]\nlayers:\n  - type: conv\n    <<: {out: 8}\n    <<: {out: 9}\n    kernel: 3\n"
    )
    code, _, err = run("network", path)
    assert code == 2
    assert one_line(err) == (
        f"{path}:5:5: layers[0]: <<: duplicate key: given first at line 4, column 5; a key may be given once"
    )


def test_keys_given_twice_anywhere_are_named_by_their_path(tmp_path: Path) -> None:
    text = (
        "name: a\nname: b\ninput: {channels: 3, height: 8, width: 8, width: 8}\n"
        "defaults: {kernel: 3, kernel: 5}\nbudget: {max_mults: 1M, max_mults: 2M}\n"
        "layers: [{type: pool, global: true}]\n"
    )
    with pytest.raises(SpecError) as info:
        load_text(text, "net.yaml")
    assert [(p.line, p.column, p.field) for p in info.value.problems] == [
        (2, 1, "name"),
        (3, 43, "input.width"),
        (4, 23, "defaults.kernel"),
        (5, 25, "budget.max_mults"),
    ]


def test_one_and_true_are_not_one_key_given_twice() -> None:
    # two keys in YAML, equal in Python: the mapping is PyYAML's (one entry), and no key is given twice
    [spec] = load_text("input: [3, 8, 8]\nlayers: [{type: pool, global: true}]\nbudget: {1: a, true: b}\n")
    assert spec.budget == yaml.safe_load("{1: a, true: b}")


def test_two_layers_that_end_up_with_one_name(run: Run, tmp_path: Path) -> None:
    path = spec_file(
        tmp_path, "input: [3, 8, 8]\nlayers:\n  - {name: a.1, type: pool, global: true}\n"
        "  - {name: a, type: pool, global: true, repeat: 2}\n"
    )  # fmt: skip
    code, _, err = run("network", path)
    assert code == 2
    assert one_line(err) == (
        f"{path}:4:12: layers[1] (a): name: expected a unique name, but a copy of this layer would be named 'a.1',"
        " as an earlier layer is"
    )


# ---------------------------------------------------------------- positions found once


def test_positions_are_found_once_per_file(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [f"name: n{i}\ninput: [3, 8, 8]\nbudget: {{max_params: 1}}\nlayers: [{{type: conv, out: 8, kernel: 3}}]\n"
                 for i in range(500)]  # fmt: skip
    path = spec_file(tmp_path, "---\n".join(documents))
    calls = []
    compose = yamltext._compose

    def counting(text: str) -> Iterator[object]:
        calls.append(len(text))
        return compose(text)

    monkeypatch.setattr(yamltext, "_compose", counting)
    start = time.perf_counter()
    code, out, _ = run("check", path, "--format", "github")
    assert time.perf_counter() - start < 30
    assert code == 1 and len(calls) == 1
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 500
    # each points at the max_params of its own document: document i starts on line 5 i + 1
    for i, line in enumerate(annotations):
        assert re.match(rf"::error file={re.escape(path)},line={5 * i + 3},col=22,", line), line


def test_a_shape_problem_of_a_big_spec_is_located_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "input: [3, 8, 8]\nlayers:\n"
        + "  - {type: pointwise, out: 4}\n" * 1000
        + "  - {type: conv, out: 4, kernel: 9}\n"
    )
    calls = []
    compose = yamltext._compose
    monkeypatch.setattr(yamltext, "_compose", lambda text: calls.append(1) or compose(text))
    with pytest.raises(SpecError) as info:
        spec_module.cost_specs(load_text(text, "net.yaml"))
    [problem] = info.value.problems
    assert (problem.line, problem.column, problem.field) == (1003, 34, "kernel") and calls == [1]


def test_positions_point_at_the_last_of_keys_given_twice() -> None:
    where = Positions("a: 1\nb: {c: 2}\na: 3\n")
    assert where.at(0, ("a",)) == (3, 4)
    assert where.at(0, ("b", "c"), at_key=True) == (2, 5)
    assert where.at(0, ("b", "x")) == (2, 4)  # the nearest enclosing node
    assert where.at(5, ("a",)) == (1, 1)
    assert where.has(0, ("b", "c")) and not where.has(0, ("b", "d"))


def test_positions_compose_no_further_than_the_document_asked_about() -> None:
    where = Positions("a: 1\n---\nb: 2\n---\n[unclosed\n")
    assert where.at(1, ("b",)) == (3, 4)
    assert len(where._documents) == 2  # the third, which does not parse, was not read
    assert where.at(2, ("x",)) == (1, 1)  # nothing to point at: the start


def test_a_tag_whose_constructor_fails_otherwise_is_located_too(run: Run, tmp_path: Path) -> None:
    # PyYAML's timestamp constructor fails with an AttributeError on text that is no timestamp at all
    path = spec_file(tmp_path, "!!timestamp name: x\ninput: [3, 8, 8]\nlayers: [{type: pool, global: true}]\n")
    code, out, err = run("network", str(path))
    assert (code, out) == (2, "")
    assert err == f"{path}:1:1: not valid YAML: 'name' is not a valid timestamp\n"
