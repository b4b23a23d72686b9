"""Hostile input, third round: each case an attack measured against dsc-cost, made small (a lower
--max-layers where the bound decides) so that it runs fast; what is asserted holds whatever the machine's
speed (the exit code, the one located line, the work done). The times are benchmarks/bounds.py's."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run

from dsc_cost.expr import MAX_BITS, ExprError, evaluate


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


# ---------------------------------------------------------------- numbers where they enter


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.1", Fraction(1, 10)),  # the decimal written, not the float nearest it
        ("0.30000000000000004 * 10", Fraction(30000000000000004, 10**17) * 10),
        ("1e19", 10**19),  # 64 bits: 2**64 is 1.8e19
        ("1e-19", Fraction(1, 10**19)),
        ("2.5e-1", Fraction(1, 4)),
        ("1_0.5", Fraction(21, 2)),
        ("0e999999999", 0),  # zero, however it is written, without making 10**999999999
        ("1500e-2", 15),
    ],
)
def test_a_decimal_literal_is_exactly_what_is_written(text: str, value: object) -> None:
    assert evaluate(text, {}) == value


@pytest.mark.parametrize("text", ["1e309", "-1e309", "1e20", "1e-65", "1e999999999", "c > 1e309", "9" * 21 + ".0"])
def test_a_literal_of_more_bits_than_an_expression_holds_is_refused(text: str) -> None:
    with pytest.raises(ExprError) as info:
        evaluate(text, {"c": 8})
    assert info.value.message.startswith(f"a number of more than {MAX_BITS} bits")


FLOAT_IN_A_BLOCK = """\
    input: [3, 8, 8]
    blocks:
      b:
        params: {c: 8}
        layers:
          - {type: conv, out: OUT, kernel: 3IF}
    layers:
      - {type: bARG}
"""


@pytest.mark.parametrize(
    ("out", "condition", "argument", "expected"),
    [
        ('"c * 1e309"', "", "", "6:27: layers[0] (b1.layers[0]): out: a number of more than 64 bits: 1e309"),
        ("c", ', if: "c > 1e309"', "", "6:45: layers[0] (b1.layers[0]): if: a number of more than 64 bits: 1e309"),
        ("c", "", ', c: "1e309"', "8:18: layers[0]: c: a number of more than 64 bits: 1e309 (in '1e309')"),
    ],
)
def test_a_float_literal_beyond_a_float_in_an_expression_is_one_located_line(
    run: Run, tmp_path: Path, out: str, condition: str, argument: str, expected: str
) -> None:
    text = FLOAT_IN_A_BLOCK.replace("OUT", out).replace("IF", condition).replace("ARG", argument)
    spec = write(tmp_path, "net.yaml", text)
    code, stdout, stderr = run("network", spec)
    assert (code, stdout) == (2, "")
    [line] = stderr.splitlines()
    assert line.startswith(f"{spec}:{expected}")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--max-file-size", "99999999999999999999G", "expected a size of at most 1GiB (1,073,741,824 bytes)"),
        ("--max-file-size", "1074M", "expected a size of at most 1GiB (1,073,741,824 bytes)"),
        ("--max-file-size", "9" * 5000, "expected a size such as 32M, 64MiB or 1000000 (bytes)"),
        ("--max-layers", "1" + "0" * 30, "expected a whole number of at most 10,000,000"),
        ("--max-layers", "10000001", "expected a whole number of at most 10,000,000"),
    ],
)
def test_an_absurd_bound_is_a_usage_error(run: Run, option: str, value: str, message: str) -> None:
    code, out, err = run("network", "configs/mobilenet_v1.yaml", option, value)
    assert (code, out) == (2, "")
    assert f"Invalid value for '{option}'" in err and message in err and "Traceback" not in err


def test_the_largest_bounds_are_taken(run: Run) -> None:
    code, _, err = run("network", "configs/mobilenet_v1.yaml", "--max-file-size", "1GiB", "--max-layers", "10000000")
    assert (code, err) == (0, "")


class Chunks:
    """A binary stream of ``size`` bytes that remembers the most bytes it was asked for at once."""

    def __init__(self, size: int) -> None:
        self.left, self.most = size, 0

    def read(self, n: int) -> bytes:
        self.most = max(self.most, n)
        chunk = b"x" * min(n, self.left)
        self.left -= len(chunk)
        return chunk


def test_a_large_bound_sets_aside_no_more_than_a_mebibyte_at_a_time() -> None:
    from dsc_cost.files import read_at_most

    stream = Chunks(3_000_000)
    assert len(read_at_most(stream, 10**18)) == 3_000_000
    assert stream.most == 1 << 20
    stream = Chunks(3_000_000)
    assert len(read_at_most(stream, 1_500_001)) == 1_500_001


# ---------------------------------------------------------------- git: a folder, a large file


def git(repo: Path, *args: str) -> str:
    import os
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}  # fmt: skip
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    write(tmp_path, "configs/x.yaml", "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("git:HEAD:configs/", "git:HEAD:configs/: expected the path of a file at HEAD, such as"),
        ("git:HEAD:configs/..", "git:HEAD:configs/..: expected the path of a file at HEAD, such as"),
        ("git:HEAD:configs/./x.yaml", "git:HEAD:configs/./x.yaml: expected the path of a file at HEAD, such as"),
        ("git:HEAD:configs", "git:HEAD:configs: expected a file at HEAD, found a folder at 'configs'"),
    ],
)
def test_a_git_folder_is_one_line_naming_the_argument(repository: Path, run: Run, old: str, message: str) -> None:
    code, out, err = run("diff", old, "configs/x.yaml")
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(message)


def test_a_git_file_over_the_size_bound_is_refused_before_it_is_read(
    repository: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    commands: list[list[str]] = []
    real = subprocess.run

    def recording(command: list[str], *args: object, **kwargs: object) -> object:
        commands.append(command)
        return real(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", recording)
    code, out, err = run("diff", "git:HEAD:configs/x.yaml", "configs/x.yaml", "--max-file-size", "40")
    assert (code, out) == (2, "")
    assert err == (
        "git:HEAD:configs/x.yaml: the file is larger than 40 bytes (61 bytes; the bound of one file;"
        " --max-file-size SIZE raises it)\n"
    )
    assert [c[:2] for c in commands] == [["git", "cat-file"]]  # its size asked, not a byte of it read
    assert "--batch-check" in commands[0][2]


# ---------------------------------------------------------------- devices: read as a spec is


def bomb(levels: int, width: int = 9) -> str:
    """A YAML alias bomb: each level a list of ``width`` aliases of the level below (``width ** levels`` leaves)."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_the_devices_alias_bomb_of_the_issue_is_located_lines_not_memory(run: Run, tmp_path: Path) -> None:
    devices = write(tmp_path, "devices.yaml", bomb(9))  # 9 ** 10 leaves, in 516 bytes
    assert len(Path(devices).read_bytes()) < 600
    code, out, err = run("network", "configs/mobilenet_v1.yaml", "--devices", devices)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 10 and len(err) < 3000
    assert lines[1] == (
        f"{devices}:2:5: a1: expected a mapping of title, kind, peak, bandwidth, source, note, calibration, found a"
        " list of 9 items"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [" * 300 + "]" * 300, "1:"),  # nesting: refused before the parser sees it
        (
            "a: {peak: 1G, bandwidth: 1G}\na: {peak: 2G, bandwidth: 1G}\n",
            "2:1: a: duplicate key: given first at line 1, column 1; a key may be given once",
        ),
        ("a: {peak: 1G, bandwidth: 1G}\n---\nb: 1\n", "1:1: expected one document"),
        ("a: \x01\n", "1:4: not YAML: the control character U+0001 is not allowed"),
    ],
)
def test_a_devices_file_is_refused_as_a_spec_would_be(run: Run, tmp_path: Path, text: str, message: str) -> None:
    devices = write(tmp_path, "devices.yaml", text)
    code, out, err = run("devices", "--devices", devices)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"{devices}:{message}")


def test_many_unknown_fields_of_a_device_are_placed_once_each(tmp_path: Path) -> None:
    from dsc_cost.devices import DeviceError, parse_profiles

    text = "x:\n  peak: 1G\n  bandwidth: 1G\n" + "".join(f"  k{i}: 1\n" for i in range(5000))
    with pytest.raises(DeviceError) as info:
        parse_profiles(text, "d.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 5000
    assert lines[0] == (
        "d.yaml:4:3: x.k0: unknown field: expected one of title, kind, peak, bandwidth, source, note, calibration"
    )
    assert lines[-1].startswith("d.yaml:5003:3: x.k4999: unknown field")


# ---------------------------------------------------------------- every expansion counted


def test_uses_of_blocks_that_make_no_layer_count_against_the_bound(run: Run, tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "net.yaml",
        """\
        input: [3, 8, 8]
        blocks:
          a:
            layers:
              - {type: conv, out: 8, kernel: 3, if: false}
          b:
            layers:
              - {type: a, repeat: 999}
          c:
            layers:
              - {type: b, repeat: 999}
        layers:
          - {type: c, repeat: 999}
        """,
    )
    code, out, err = run("network", spec, "--max-layers", "1000")
    assert (code, out) == (2, "")
    # c's first copy (1 use) and b's first copy (1 use) leave room for 998 uses: a's 999 pass the bound
    assert err == (
        f"{spec}:8:27: layers[0] (c1.1.b1.1.layers[0]): repeat: the specs would use blocks more than 1,000 times in"
        " all, each copy of a repeated use once (the bound of one run; --max-layers N raises it)\n"
    )


def test_a_long_name_repeated_passes_the_bound_of_names_before_it_is_built(run: Run, tmp_path: Path) -> None:
    text = "input: [3, 8, 8]\nlayers:\n  - {type: pool, global: true, name: " + "x" * 1000 + ", repeat: 99999}\n"
    spec = write(tmp_path, "net.yaml", text)
    code, out, err = run("network", spec)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"{spec}:3:38: layers[0] (xxxx")
    assert line.endswith(
        "name: the layers' names would have more than 10,000,000 characters in all (100 a layer of the bound of"
        " one run; --max-layers N raises it)"
    )
    # about 1,005 characters a name (the copy's number after it): 9,000 copies fit in 10,000,000 characters,
    # and not in the 1,000,000 of a bound 10 times lower
    write(tmp_path, "fits.yaml", text.replace("99999", "9000"))
    assert run("network", str(tmp_path / "fits.yaml"), "--format", "csv")[0] == 0
    code, _, err = run("network", str(tmp_path / "fits.yaml"), "--max-layers", "10000")
    assert code == 2 and "more than 1,000,000 characters" in err


def test_more_than_ten_thousand_problems_end_with_a_line_that_says_so(run: Run, tmp_path: Path) -> None:
    keys = ", ".join(f"k{i}: 1" for i in range(10_050))
    spec = write(tmp_path, "net.yaml", "input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3, " + keys + "}\n")
    code, out, err = run("network", spec, "--max-problems", "0")  # every problem shown
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 10_001
    assert lines[0] == (
        f"{spec}:3:37: layers[0]: k0: unknown field: conv layers take batchnorm, bias, dilation, from, groups,"
        " kernel, name, out, padding, repeat, stride"
    )
    assert lines[-1].endswith(
        ": layers[0]: k10000: more than 10,000 problems: the first 10,000 are listed, and no more is read"
    )


def test_a_parameter_passed_down_a_long_chain_of_blocks_is_a_channel_count_at_every_link(tmp_path: Path) -> None:
    from fractions import Fraction

    from dsc_cost.spec import load_text, scaled_network

    # b0 uses b1, … uses b{n-1}, whose conv's out is c: c is a channel count of each (a width scales it);
    # the blocks are listed before those they use, the order in which finding it link by link was quadratic;
    # the network uses one 10 links from the end (blocks nest 20 deep at most)
    n = 500
    text = "input: [3, 8, 8]\nblocks:\n"
    text += "".join(
        f"  b{i}:\n    params: {{c: 8}}\n    layers:\n      - {{type: b{i + 1}, c: c}}\n" for i in range(n - 1)
    )
    text += f"  b{n - 1}:\n    params: {{c: 8}}\n    layers:\n      - {{type: conv, out: c, kernel: 3}}\n"
    text += f"layers:\n  - {{type: b{n - 10}, c: 16}}\n  - {{type: pool, global: true}}\n"
    [spec] = load_text(text, "chain.yaml")
    assert spec.network.nodes[0].layer.out == 16  # type: ignore[attr-defined]
    half = scaled_network(spec, Fraction(1, 2))
    assert half.nodes[0].layer.out == 8  # type: ignore[attr-defined]


def test_a_problem_at_each_of_many_keys_is_placed_where_it_is(tmp_path: Path) -> None:
    from dsc_cost.spec import Positions

    text = "a: {" + ", ".join(f"k{i}: {i}" for i in range(3000)) + ", k7: again}\n"
    where = Positions(text, "x.yaml")
    assert where.at(0, ("a", "k0"), at_key=True) == (1, 5)
    assert where.at(0, ("a", "k7")) == (1, text.index("again") + 1)  # a key given twice: its last place
    assert where.at(0, ("a", "k2999"), at_key=True) == (1, text.index("k2999") + 1)
    assert not where.has(0, ("a", "k3000"))


# ---------------------------------------------------------------- lone surrogates: refused in a spec, escaped in outputs


LONE = '{"name": "n\\ud800", "input": [3, 8, 8], "layers": [{"type": "conv", "out": 8, "kernel": 3, "k\\udfff": 1}],'
LONE += ' "x": ["\\ud83d\\ude00 a pair is one character", "\\ud83d"]}'


@pytest.mark.parametrize(
    "command",
    [
        ["network", "--format", "json"],
        ["report", "-o", "-"],
        ["check", "--update-baseline", "--baseline", "BASELINE"],
    ],
)
def test_a_lone_surrogate_in_a_spec_is_refused_at_its_place(run: Run, tmp_path: Path, command: list[str]) -> None:
    spec = write(tmp_path, "net.json", LONE)
    baseline = tmp_path / "baseline.json"
    code, out, err = run(*[str(baseline) if c == "BASELINE" else c for c in command], spec)
    assert (code, out) == (2, "")
    name, key, half = (LONE.index(text) + 1 for text in ('"n\\', '"k\\', '"\\ud83d"'))
    tail = "is not a character, and no output could write it"
    assert err.splitlines() == [
        f"{spec}:1:{name}: name: expected text, found 'n\\ud800': the lone surrogate U+D800 (half of a UTF-16 pair) {tail}",
        f"{spec}:1:{key}: layers[0]: 'k\\udfff': expected text, found 'k\\udfff': the lone surrogate U+DFFF (half of a"
        f" UTF-16 pair) {tail}",
        f"{spec}:1:{half}: x.[1]: expected text, found '\\ud83d': the lone surrogate U+D83D (half of a UTF-16 pair) {tail}",
    ]
    assert not baseline.exists()


def test_a_file_name_that_is_not_utf8_is_written_escaped(run: Run, tmp_path: Path) -> None:
    import os

    name = os.fsdecode(b"\xff.yaml")  # '\udcff.yaml': how Python gives a name that is not UTF-8
    spec = tmp_path / name
    spec.write_text("input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n")
    baseline, page = tmp_path / "baseline.json", tmp_path / "report.html"
    assert run("check", str(spec), "--update-baseline", "--baseline", str(baseline))[0] == 0
    assert "\\udcff.yaml" in baseline.read_text(encoding="utf-8")  # a JSON escape: read back as it was
    assert run("check", str(spec), "--baseline", str(baseline))[0] == 0
    assert run("report", str(spec), "-o", str(page))[0] == 0
    assert f'"file": "{tmp_path}/\\udcff.yaml"' in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------- what a SIGKILL leaves, the next run removes


def test_a_temporary_file_a_killed_write_left_is_removed_by_the_next_write(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import subprocess

    ended = subprocess.Popen(["true"])
    ended.wait()  # its number is no process's now
    baseline = tmp_path / "baseline.json"
    left = tmp_path / f".baseline.json.dsc-cost-{ended.pid}.k9x2ab7q.tmp"  # what a SIGKILL mid-write leaves
    running = tmp_path / f".baseline.json.dsc-cost-{os.getpid()}.a1b2c3d4.tmp"  # a write under way: kept
    other = tmp_path / f".other.json.dsc-cost-{ended.pid}.k9x2ab7q.tmp"  # another file's: not this write's
    for path in (left, running, other):
        path.write_text("{")
    names: list[str] = []
    replace = os.replace

    def seen(source: str, target: str) -> None:
        names.append(os.path.basename(source))
        replace(source, target)

    monkeypatch.setattr(os, "replace", seen)
    code, _, err = run("check", "configs/mobilenet_v1.yaml", "--update-baseline", "--baseline", str(baseline))
    assert (code, err) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["baseline.json", running.name, other.name])
    [name] = names
    assert name.startswith(f".baseline.json.dsc-cost-{os.getpid()}.") and name.endswith(".tmp")
