"""Includes from a hostile spec: confined to the spec's folder and git repository (``--allow-include`` widens
it), never a pipe or a device, never a secret quoted, and a bounded number of inclusions in a run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Run

from dsc_cost.readers.includes import MAX_INCLUDES
from dsc_cost.spec import load_text

SECRET = "TOKEN=ghp_s3cr3tVALUEthatMustNeverBePrinted"
ONE_LAYER = "input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 4}\n"
OUTSIDE = (
    "is outside the folders includes are read from (that of the spec named on the command line, and the git"
    " repository holding it): not read; --allow-include PATH allows another folder"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def including(*paths: str) -> str:
    return "input: [3, 8, 8]\nlayers:\n" + "".join(f"  - {{name: i{n}, include: {p!r}}}\n" for n, p in enumerate(paths))


def dsc_cost(*args: str, cwd: Path | None = None) -> tuple[int, str, str, float]:
    """``dsc-cost ARGS`` in a process of its own (a hang is a failure, not a stuck suite), and its seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", *args], capture_output=True, text=True, timeout=30, cwd=cwd, check=False
    )
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A token file beside the folder the specs are in, outside it."""
    return write(tmp_path / "home" / "token", SECRET + "\n")


def test_a_file_outside_the_folder_is_not_read_by_any_path(
    run: Run, tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths: messages show them whole
    specs = Path("work", "specs")
    specs.mkdir(parents=True)
    (specs / "link.yaml").symlink_to(secret)  # a link inside that leads outside
    main = write(specs / "main.yaml", including("/etc/passwd", "../../home/token", "link.yaml"))
    code, out, err = run("network", str(main))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{main}:3:25: layers[0] (i0): include: '/etc/passwd' {OUTSIDE}",
        f"{main}:4:25: layers[1] (i1): include: 'work/specs/../../home/token' {OUTSIDE}",
        f"{main}:5:25: layers[2] (i2): include: 'work/specs/link.yaml' {OUTSIDE}",
    ]
    main.write_text(including(str(secret)))  # by its absolute path
    code, out, err = run("network", str(main))
    assert code == 2 and OUTSIDE in err and SECRET not in err


def test_allowed_a_secret_is_read_but_never_shown(run: Run, tmp_path: Path, secret: Path) -> None:
    main = write(tmp_path / "work" / "main.yaml", including(str(secret)))
    code, out, err = run("network", str(main), "--allow-include", str(secret.parent))
    assert (code, out) == (2, "")
    message = f"expected a file of one network (input and layers), found a string in {str(secret)!r}"
    assert err == f"{main}:3:25: layers[0] (i0): include: {message}\n"
    # a mapping, and text that is not YAML, which the parser would quote: what kind it is, and where, only
    write(secret, "TOKEN: s3cr3t\n")
    code, out, err = run("network", str(main), "--allow-include", str(secret.parent))
    assert "s3cr3t" not in err and err.endswith(f"found a mapping of neither in {str(secret)!r}\n")
    write(secret, "x: !!s3cr3t 1\n")  # named on the command line, the parser's words quote it
    code, out, err = run("network", str(secret))
    assert err == f"{secret}:1:4: not valid YAML: '1' is not a valid s3cr3t\n"
    code, out, err = run("network", str(main), "--allow-include", str(secret.parent))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{main}:3:25: layers[0] (i0): include: {str(secret)!r} is not a valid spec",
        f"{secret}:1:4: not valid YAML",
    ]


def test_a_file_named_on_the_command_line_is_not_quoted_either(run: Run, secret: Path) -> None:
    code, out, err = run("network", str(secret))
    assert (code, out) == (2, "")
    assert err == f"{secret}:1:1: expected a mapping with name, input and layers, found a string\n"


def test_the_git_repository_holding_the_spec_is_inside(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo / "shared" / "backbone.yaml", ONE_LAYER)
    main = write(repo / "configs" / "main.yaml", including("../shared/backbone.yaml"))
    code, _, err = run("network", str(main))
    assert code == 2 and OUTSIDE in err  # no repository: the spec's folder only
    (repo / ".git").mkdir()  # a work tree's .git may be a file too: either is found
    code, out, err = run("network", str(main), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["networks"][0]["totals"]["params"] == 3 * 4  # the backbone's pointwise 3 → 4


def test_the_spec_on_standard_input_includes_from_the_working_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: Path
) -> None:
    write(tmp_path / "work" / "b.yaml", ONE_LAYER)
    monkeypatch.chdir(tmp_path / "work")
    result = load_text(including("b.yaml"), "-")
    assert [node.name for node in result[0].network.nodes] == ["i0.pointwise1"]
    with pytest.raises(Exception) as error:
        load_text(including("../home/token"), "-")
    assert OUTSIDE in str(error.value) and SECRET not in str(error.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_a_folder_or_a_device_is_refused_without_being_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")  # no writer: opening it to read would wait for ever
    (tmp_path / "folder").mkdir()
    devices = [d for d in ("/dev/ptmx", "/dev/zero") if os.path.exists(d)]
    main = write(tmp_path / "main.yaml", including("fifo", "folder", *devices))
    code, out, err, seconds = dsc_cost("network", str(main), "--allow-include", "/dev")
    assert (code, out) == (2, "") and seconds < 10
    assert err.splitlines() == [
        f"{main}:3:25: layers[0] (i0): include: {str(tmp_path / 'fifo')!r} is a named pipe, not a spec file: not read",
        f"{main}:4:25: layers[1] (i1): include: {str(tmp_path / 'folder')!r} is a folder, not a spec file: not read",
        *(
            f"{main}:{5 + n}:25: layers[{2 + n}] (i{2 + n}): include: {d!r} is a character device, not a spec file:"
            " not read"
            for n, d in enumerate(devices)
        ),
    ]


def test_inclusions_are_bounded_in_all_so_a_diamond_is_refused_at_once(tmp_path: Path) -> None:
    # d0 includes d1 twice, which includes d2 twice, …: 2 + 4 + … + 2^19 inclusions, more than a million
    for n in range(20):
        uses = f"  - {{name: a, include: d{n + 1}.yaml}}\n  - {{name: b, include: d{n + 1}.yaml}}\n" if n < 19 else ""
        write(tmp_path / f"d{n}.yaml", f"input: [3, 8, 8]\nlayers:\n{uses}  - {{type: pointwise, out: 3}}\n")
    code, out, err, seconds = dsc_cost("network", str(tmp_path / "d0.yaml"), "--max-layers", "10000000")
    assert (code, out) == (2, "")
    # Depth first, the first inclusions are d1 … d19 by a (19), then d19 by b, d18's b, … (2 each): the
    # 1,001st is made in the 10th level from the top, which is what is said, once.
    [line] = err.splitlines()
    assert line.endswith(f"include: more than {MAX_INCLUDES:,} inclusions in all (the bound of one run; each use of a file counts)")  # fmt: skip
    assert seconds < 2


def test_a_fan_out_of_includes_is_refused_at_once(tmp_path: Path) -> None:
    # f0 … f8, each including the next 10 times: 10^8 inclusions, from 9 files of 3 KB in all
    for n in range(9):
        uses = "".join(f"  - {{name: x{k}, include: f{n + 1}.yaml}}\n" for k in range(10)) if n < 8 else ""
        write(tmp_path / f"f{n}.yaml", f"input: [3, 8, 8]\nlayers:\n{uses}  - {{type: pointwise, out: 3}}\n")
    code, out, err, seconds = dsc_cost("network", str(tmp_path / "f0.yaml"), "--max-layers", "10000000")
    assert (code, out) == (2, "")
    assert err.count("inclusions in all") == 1 and seconds < 2


def test_the_inclusion_bound_counts_each_use(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "one.yaml", ONE_LAYER)
    main = write(tmp_path / "main.yaml", including(*["one.yaml"] * MAX_INCLUDES))
    code, out, err = run("network", str(main), "--format", "json")
    assert (code, err) == (0, "")
    # the first pointwise reads the input's 3 channels (3·4 params), each next one the 4 before it (4·4)
    assert json.loads(out)["networks"][0]["totals"]["params"] == 3 * 4 + (MAX_INCLUDES - 1) * 4 * 4 == 15_996
    main.write_text(including(*["one.yaml"] * (MAX_INCLUDES + 1)))
    code, out, err = run("network", str(main))
    assert (code, out) == (2, "")
    line = 3 + MAX_INCLUDES  # the 1,001st include
    assert err == (
        f"{main}:{line}:28: layers[{MAX_INCLUDES}] (i{MAX_INCLUDES}): include: more than 1,000 inclusions in all"
        " (the bound of one run; each use of a file counts)\n"
    )


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}  # fmt: skip
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)


def test_a_spec_read_from_git_includes_from_its_revision_only(
    run: Run, tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo / "configs" / "backbone.yaml", ONE_LAYER)
    write(repo / "configs" / "main.yaml", including("backbone.yaml"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    write(repo / "configs" / "backbone.yaml", ONE_LAYER.replace("out: 4", "out: 5"))  # on disk only
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "git:HEAD:configs/main.yaml", "configs/main.yaml", "--format", "json")
    assert (code, err) == (0, "")
    [network] = json.loads(out)["networks"]
    assert network["totals"]["params"] == {"before": 3 * 4, "after": 3 * 5, "delta": 3, "growth": 0.25}
    # from the revision, not the disk: neither a path of the disk nor one out of the tree is read
    write(repo / "configs" / "main.yaml", including(str(secret), "../../home/token", "nope.yaml"))
    git(repo, "commit", "-qam", "hostile")
    code, out, err = run("diff", "git:HEAD:configs/main.yaml", "configs/backbone.yaml")
    assert (code, out) == (2, "")
    old = "git:HEAD:configs/main.yaml"
    assert err.splitlines() == [
        f"{old}:3:25: layers[0] (i0): include: {str(secret)!r} is an absolute path: a spec read from git includes"
        " files of its revision, by paths relative to it",
        f"{old}:4:25: layers[1] (i1): include: '../../home/token' is outside the tree of HEAD: not read",
        f"{old}:5:25: layers[2] (i2): include: git show HEAD:configs/nope.yaml failed: path 'configs/nope.yaml'"
        " does not exist in 'HEAD'",
    ]
