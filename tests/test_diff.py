"""`dsc-cost diff`: layers matched by name and by position, the changes counted by hand, every format
(Markdown read by a real Markdown parser), git: revisions in a temporary repository, baselines with and
without memory figures, --fail-on-increase and bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run
from markdown_it import MarkdownIt

from dsc_cost import diff as diffing
from dsc_cost.diff import Change, LayerFigures, Side, diff, figures_from, match_layers, read_side
from dsc_cost.report import to_text
from dsc_cost.report.diffs import diff_output, diff_view, growth_text
from dsc_cost.report.model import Cell, Table

# A small network, every count by hand (no bias on conv and linear, the spec's default):
#   stem  conv 3 → 16, 3×3, padding 1 on 8×8: params 3·16·9 = 432, mults 432·64 = 27,648
#   block separable 16 → 32, 3×3, padding 1: params 16·9 + 16·32 = 144 + 512 = 656, mults 656·64 = 41,984
#   pool  global 8×8 pool: no params, no mults
#   fc    linear 32 → 10: params 32·10 = 320, mults 320
#   total params 432 + 656 + 320 = 1,408; mults 27,648 + 41,984 + 320 = 69,952
# Bytes at fp32 (4 bytes a value), a layer's being its weights, input and output:
#   block 656·4 + 16·8·8·4 + 32·8·8·4 = 2,624 + 4,096 + 8,192 = 14,912
#   fc    320·4 + 32·4 + 10·4 = 1,280 + 128 + 40 = 1,448 (out 12: 1,536 + 128 + 48 = 1,712)
#   weights in all 1,408·4 = 5,632; the peak is at block's step: its input, the depthwise
#   step's output (16·8·8·4 = 4,096) and its output, 4,096 + 4,096 + 8,192 = 16,384
SPEC = """\
name: tiny
input: [3, 8, 8]
layers:
  - {name: stem, type: conv, out: 16, kernel: 3, padding: 1}
  - {name: block, type: separable, out: 32, kernel: 3, padding: 1}
  - {type: pool, kernel: 8}
  - {name: fc, type: linear, out: FC}
"""
PARAMS, MULTS = 1_408, 69_952


def spec(fc: int = 10, **renames: str) -> str:
    text = SPEC.replace("FC", str(fc))
    for old, new in renames.items():
        text = text.replace(f"name: {old},", f"name: {new},")
    return text


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def sides(tmp_path: Path, old: str, new: str) -> diffing.Diff:
    return diff(read_side(write(tmp_path, "old.yaml", old)), read_side(write(tmp_path, "new.yaml", new)))


# ---------------------------------------------------------------- matching


def test_renaming_a_layer_shows_one_removed_and_one_added(tmp_path: Path) -> None:
    result = sides(tmp_path, spec(), spec(block="body"))
    [network] = result.networks
    changed = [(layer.status, layer.name) for layer in network.shown()]
    assert changed == [("removed", "block"), ("added", "body")]
    assert network.count("unchanged") == 3  # stem, pool1, fc
    assert [(c.metric, c.delta) for c in network.totals] == [
        ("params", 0),
        ("mults", 0),
        ("weight_bytes", 0),
        ("peak_bytes", 0),
    ]
    removed, added = network.shown()
    assert [(c.before, c.after, c.delta) for c in removed.changes] == [
        (656, None, -656),
        (41_984, None, -41_984),
        (14_912, None, -14_912),
    ]
    assert [(c.before, c.after, c.delta) for c in added.changes] == [
        (None, 656, 656),
        (None, 41_984, 41_984),
        (None, 14_912, 14_912),
    ]


def test_widening_one_layer_shows_exactly_that_layer_changed_with_its_deltas(tmp_path: Path) -> None:
    result = sides(tmp_path, spec(fc=10), spec(fc=12))
    [network] = result.networks
    [layer] = network.shown()
    assert (layer.name, layer.status) == ("fc", "changed")
    # fc: 32·10 = 320 → 32·12 = 384 params and mults, +64 each, +20%
    params, mults, bytes_ = layer.changes
    assert (params.before, params.after, params.delta, params.growth) == (320, 384, 64, Fraction(1, 5))
    assert (mults.before, mults.after, mults.delta, mults.growth) == (320, 384, 64, Fraction(1, 5))
    assert (bytes_.before, bytes_.after, bytes_.delta) == (1_448, 1_712, 264)
    total_params, total_mults, weight_bytes, peak_bytes = network.totals
    assert (weight_bytes.before, weight_bytes.after, peak_bytes.delta) == (5_632, 5_888, 0)
    assert (total_params.before, total_params.after, total_params.delta) == (PARAMS, PARAMS + 64, 64)
    assert (total_mults.before, total_mults.after, total_mults.delta) == (MULTS, MULTS + 64, 64)
    assert total_params.growth == Fraction(64, 1_408)
    assert [layer.status for layer in network.shown(all_layers=True)] == ["unchanged"] * 3 + ["changed"]


def test_unnamed_layers_are_matched_by_position_within_their_type() -> None:
    def layer(name: str, kind: str, params: int) -> LayerFigures:
        return LayerFigures(name, kind, "", {"params": params, "mults": params})

    old = [layer("conv1", "conv", 1), layer("pool1", "pool", 0), layer("conv2", "conv", 2)]
    # a named conv inserted first takes no default name; the unnamed ones keep their order
    new = [layer("extra", "conv", 5), layer("conv1", "conv", 1), layer("conv2", "conv", 3), layer("pool1", "pool", 0)]
    pairs, removed, added = match_layers(old, new)
    assert pairs == {0: 1, 1: 3, 2: 2}
    assert (removed, added) == ([], [0])
    # an unnamed layer whose default name moved on (conv1 became conv2) is still matched by position
    renumbered = [layer("pool1", "pool", 0), layer("conv2", "conv", 1), layer("conv3", "conv", 2)]
    assert match_layers(old, renumbered)[0] == {0: 1, 1: 0, 2: 2}


def test_a_removed_layer_is_shown_where_it_was(tmp_path: Path) -> None:
    old = spec()
    new = old.replace("  - {name: block, type: separable, out: 32, kernel: 3, padding: 1}\n", "").replace(
        "{name: stem, type: conv, out: 16,", "{name: stem, type: conv, out: 32,"
    )
    [network] = sides(tmp_path, old, new).networks
    assert [(layer.name, layer.status) for layer in network.layers] == [
        ("stem", "changed"),
        ("block", "removed"),
        ("pool1", "unchanged"),
        ("fc", "unchanged"),
    ]


def test_networks_are_matched_by_name_and_a_lone_pair_whatever_the_names() -> None:
    def network(name: str, params: int) -> diffing.NetworkFigures:
        return diffing.NetworkFigures(name, "f", (), {"params": params, "mults": 0})

    result = diff(Side("a", (network("x", 1), network("y", 2))), Side("b", (network("y", 3), network("z", 4))))
    assert [(n.name, n.status) for n in result.networks] == [("y", "changed"), ("z", "added"), ("x", "removed")]
    [lone] = diff(Side("a", (network("x", 1),)), Side("b", (network("renamed", 1),))).networks
    assert (lone.old and lone.old.name, lone.new and lone.new.name, lone.status) == ("x", "renamed", "unchanged")


def test_growth_from_nothing_and_to_nothing() -> None:
    assert growth_text(Change("params", None, 5)) == "new"
    assert growth_text(Change("params", 5, None)) == "gone"
    assert growth_text(Change("params", 0, 5)) == "new"
    assert growth_text(Change("params", 3, 3)) == "0%"
    assert growth_text(Change("params", 200, 199)) == "-0.5%"
    assert Change("params", 0, 1).exceeds(Fraction(1000))  # any growth from 0 is more than any percentage
    assert not Change("params", 100, 102).exceeds(Fraction(2, 100))  # exactly 2% is not more than 2%
    assert Change("params", 100, 103).exceeds(Fraction(2, 100))


# ---------------------------------------------------------------- formats


def test_table_tones_increases_and_decreases_and_plain_text_has_no_escapes(tmp_path: Path, run: Run) -> None:
    old, new = write(tmp_path, "old.yaml", spec(fc=10)), write(tmp_path, "new.yaml", spec(fc=12, block="body"))
    result = diff(read_side(old), read_side(new))
    tables = [b for b in diff_view(result).blocks if isinstance(b, Table)]
    layers = tables[-1]
    tones = {str(row.cells[0]): [c.tone for c in row.cells if isinstance(c, Cell)] for row in layers.rows}
    # params, mults and bytes (weights, input and output: 14,912 for block; 1,448 → 1,712 for fc)
    assert tones == {"block": ["good"] * 3, "body": ["bad"] * 3, "fc": ["bad"] * 3}
    code, out, err = run("diff", old, new)
    assert (code, err) == (0, "")
    assert "\x1b" not in out
    assert out == to_text(diff_output(result, "table"), 10_000)
    assert "fc     changed  linear     10×1×1 → 12×1×1" in out
    assert "+64 (+20%)" in out


def test_markdown_is_a_table_for_a_real_markdown_parser(tmp_path: Path, run: Run) -> None:
    old, new = write(tmp_path, "old.yaml", spec(fc=10)), write(tmp_path, "new.yaml", spec(fc=12))
    code, out, _ = run("diff", old, new, "--format", "markdown")
    assert code == 0
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(out)
    assert sum(t.type == "table_open" for t in tokens) == 3  # totals, layers that changed, and every layer
    cells = [t.content for t in tokens if t.type == "inline"]
    header = cells[cells.index("layer") : cells.index("layer") + 10]
    assert header == ["layer", "change", "type", "output", "params before", "params after", "Δ params",
                      "mults before", "mults after", "Δ mults"]  # fmt: skip
    row = cells[cells.index("fc") : cells.index("fc") + 10]
    assert row == ["fc", "changed", "linear", "10×1×1 → 12×1×1", "320", "384", "+64 (+20%)", "320", "384",
                   "+64 (+20%)"]  # fmt: skip
    html = parser.render(out)
    assert "<details>" in html and "<summary>every layer (4) of tiny</summary>" in html
    assert html.count("<table>") == 3
    # with --all the one layer table is complete: no collapsed copy
    code, out, _ = run("diff", old, new, "--format", "markdown", "--all")
    assert "<details>" not in out and MarkdownIt("commonmark").enable("table").render(out).count("<table>") == 2


def test_json_and_csv_carry_exact_figures(tmp_path: Path, run: Run) -> None:
    old, new = write(tmp_path, "old.yaml", spec(fc=10)), write(tmp_path, "new.yaml", spec(fc=12))
    code, out, _ = run("diff", old, new, "--format", "json")
    assert code == 0
    document = json.loads(out)
    [network] = document["networks"]
    assert (document["changed"], network["status"]) == (True, "changed")
    assert network["totals"]["params"] == {"before": 1_408, "after": 1_472, "delta": 64, "growth": 64 / 1_408}
    assert network["layer_counts"] == {"changed": 1, "added": 0, "removed": 0, "unchanged": 3}
    [fc] = network["layers"]
    assert fc["mults"] == {"before": 320, "after": 384, "delta": 64, "growth": 0.2}
    _, out, _ = run("diff", old, new, "--format", "csv", "--all")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["row"], r["layer"], r["status"]) for r in rows] == [
        ("total", "", "changed"),
        ("layer", "stem", "unchanged"),
        ("layer", "block", "unchanged"),
        ("layer", "pool1", "unchanged"),
        ("layer", "fc", "changed"),
    ]
    assert (rows[4]["params_before"], rows[4]["params_after"], rows[4]["params_delta"]) == ("320", "384", "64")
    assert (rows[4]["old_output"], rows[4]["new_output"]) == ("10x1x1", "12x1x1")


# ---------------------------------------------------------------- baselines and git


def test_a_baseline_against_a_spec_and_bytes_from_memory_figures(tmp_path: Path, run: Run) -> None:
    old = write(tmp_path, "old.yaml", spec(fc=10))
    code, baseline, _ = run("network", old, "--format", "json")
    assert code == 0
    new = write(tmp_path, "new.yaml", spec(fc=12))
    code, out, _ = run("diff", write(tmp_path, "costs.json", baseline), new, "--format", "json")
    assert [layer["name"] for layer in json.loads(out)["networks"][0]["layers"]] == ["fc"]
    # memory figures (the shape of `network --format json` with memory): the bytes a layer moves are its
    # weights, input and output; the totals compare weight bytes and peak bytes
    document = json.loads(baseline)
    for layer in document["networks"][0]["layers"]:
        layer["memory"] = {"weight_bytes": 4 * layer["params"], "input_bytes": 100, "output_bytes": 10}
    document["networks"][0]["totals"]["memory"] = {"weight_bytes": 4 * PARAMS, "activation_bytes": 1,
                                                   "peak_bytes": 5_000, "peak_layer": "stem"}  # fmt: skip
    old_side = Side("old", figures_from(document, "old.json"))
    fc = document["networks"][0]["layers"][3]
    fc["memory"] = {"weight_bytes": 4 * 384, "input_bytes": 100, "output_bytes": 12}
    document["networks"][0]["totals"]["memory"].update(weight_bytes=4 * (PARAMS + 64), peak_bytes=5_008)
    [network] = diff(old_side, Side("new", figures_from(document, "new.json"))).networks
    assert network.layer_metrics == ("params", "mults", "bytes")
    [layer] = network.shown()  # params and mults are those of the old file: only the bytes moved
    assert [(c.metric, c.before, c.after) for c in layer.changes] == [
        ("params", 320, 320),
        ("mults", 320, 320),
        ("bytes", 4 * 320 + 100 + 10, 4 * 384 + 100 + 12),
    ]
    assert [(c.metric, c.delta) for c in network.totals] == [
        ("params", 0),
        ("mults", 0),
        ("weight_bytes", 256),
        ("peak_bytes", 8),
    ]
    assert "bytes before" in to_text(diff_output(diff(old_side, old_side), "table", all_layers=True), 10_000)
    # one side without memory figures: no bytes compared
    stripped = json.loads(baseline)
    del stripped["networks"][0]["totals"]["memory"]
    for layer in stripped["networks"][0]["layers"]:
        del layer["memory"]
    plain = Side("plain", figures_from(stripped, "plain.json"))
    assert diff(plain, old_side).networks[0].layer_metrics == ("params", "mults")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_git_revision_in_a_temporary_repository(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path, "configs/x.yaml", spec(fc=10))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    write(tmp_path, "configs/x.yaml", spec(fc=12))
    git(tmp_path, "commit", "-qam", "head")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("diff", "git:HEAD~1:configs/x.yaml", "configs/x.yaml", "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["old"] == "git:HEAD~1:configs/x.yaml"
    [network] = document["networks"]
    assert network["name"] == "tiny"
    assert [(layer["name"], layer["params"]["delta"]) for layer in network["layers"]] == [("fc", 64)]
    # a baseline at a revision is read as one
    code, baseline, _ = run("network", "configs/x.yaml", "--format", "json")
    write(tmp_path, "costs.json", baseline)
    git(tmp_path, "add", "costs.json")
    git(tmp_path, "commit", "-qm", "baseline")
    code, out, err = run("diff", "git:HEAD:costs.json", "git:HEAD~2:configs/x.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["networks"][0]["totals"]["params"]["delta"] == -64
    # a file of another kind is read from a copy of it, as a file of its name; its problems name the revision
    write(tmp_path, "configs/x.spec", spec(fc=12).replace("input: [3, 8, 8]", "input: [3, 8, 8, 8, 8]"))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "other")
    code, out, err = run("diff", "git:HEAD:configs/x.spec", "configs/x.yaml")
    assert (code, out) == (2, "")
    assert err.startswith("git:HEAD:configs/x.spec:2:8: input: expected ")


# ---------------------------------------------------------------- exit codes


def test_fail_on_increase(tmp_path: Path, run: Run) -> None:
    old, new = write(tmp_path, "old.yaml", spec(fc=10)), write(tmp_path, "new.yaml", spec(fc=12))
    # params grow 64 / 1,408 = 4.545...%, mults 64 / 69,952 = 0.0915%, weight bytes 256 / 5,632 = 4.545...%
    # (4 bytes a param), the peak (at block's step) not at all
    code, _, err = run("diff", old, new, "--fail-on-increase", "5")
    assert (code, err) == (0, "")
    code, _, err = run("diff", old, new, "--fail-on-increase", "4.5")
    assert code == 1
    assert err == (
        "dsc-cost diff: tiny: params grew +4.55% (more than 4.5%)\n"
        "dsc-cost diff: tiny: weight bytes grew +4.55% (more than 4.5%)\n"
    )
    code, _, err = run("diff", old, new, "--fail-on-increase", "0")
    assert code == 1 and err.count("\n") == 3
    assert run("diff", new, old, "--fail-on-increase", "0")[0] == 0  # a decrease never fails
    assert run("diff", old, new)[0] == 0  # without the option, growth is shown, not judged
    # a network added in NEW grows from nothing: stem + block + pool + fc of the second network
    both = write(tmp_path, "both.yaml", spec(fc=10) + "---\n" + spec(fc=10).replace("name: tiny", "name: other"))
    code, out, err = run("diff", old, both, "--fail-on-increase", "50", "--format", "markdown")
    assert code == 1
    assert err == (
        "dsc-cost diff: other: params grew from nothing to 1,408 (more than 50%)\n"
        "dsc-cost diff: other: mults grew from nothing to 69,952 (more than 50%)\n"
        "dsc-cost diff: other: weight bytes grew from nothing to 5,632 (more than 50%)\n"
        "dsc-cost diff: other: peak bytes grew from nothing to 16,384 (more than 50%)\n"
    )
    assert "### other\n\nnetwork added in NEW (4 layers)\n" in out


@pytest.mark.parametrize(
    ("old", "message"),
    [
        (
            "git:nope:configs/x.yaml",
            "git:nope:configs/x.yaml: git show nope:configs/x.yaml failed: invalid object name 'nope'.\n",
        ),
        (
            "git:HEAD:configs/y.yaml",
            "git:HEAD:configs/y.yaml: git show HEAD:configs/y.yaml failed: path 'configs/y.yaml' does not exist in 'HEAD'\n",
        ),
        ("git:HEAD", "git:HEAD: expected git:REV:PATH, such as git:HEAD~1:configs/mobilenet_v1.yaml\n"),
        ("git:--output=x:y", "git:--output=x:y: a revision cannot begin with '-', found '--output=x'\n"),
        ("missing.yaml", "missing.yaml: cannot read the file: No such file or directory\n"),
        (
            "bad.json",
            "bad.json: not a baseline: expected what 'dsc-cost network FILE... --format json' prints, but networks[0] (tiny): layers[1] (block) has no whole params and mults\n",
        ),
        ("broken.json", "broken.json:1:2: not valid JSON: Expecting property name enclosed in double quotes\n"),
    ],
)
def test_bad_input_is_one_located_line_and_exit_2(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, old: str, message: str
) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path, "configs/x.yaml", spec())
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    monkeypatch.chdir(tmp_path)
    code, baseline, _ = run("network", "configs/x.yaml", "--format", "json")
    document = json.loads(baseline)
    del document["networks"][0]["layers"][1]["mults"]
    write(tmp_path, "bad.json", json.dumps(document))
    write(tmp_path, "broken.json", "{,}")
    code, out, err = run("diff", old, "configs/x.yaml")
    assert (code, out) == (2, "")
    assert err == message


def test_two_networks_of_one_name_cannot_be_matched(tmp_path: Path, run: Run) -> None:
    twice = write(tmp_path, "twice.yaml", spec() + "---\n" + spec())
    code, _, err = run("diff", twice, twice)
    assert code == 2
    assert err == f"{twice}: two networks are named 'tiny': networks are matched by name, so give them distinct names\n"


@pytest.mark.parametrize("config", ["mobilenet_v2.yaml", "efficientnet_b0.yaml", "shufflenet_v2_x1_0.yaml"])
def test_a_specs_figures_are_its_baselines(config: str, run: Run) -> None:
    """A spec's side is costed directly (no JSON text written and read back): the same figures as a baseline of it."""
    from dsc_cost.diff import figures_from, figures_of_specs
    from dsc_cost.spec import load_files

    path = f"configs/{config}"
    code, out, _ = run("network", path, "--format", "json")
    assert code == 0
    assert figures_of_specs([path], load_files([path])) == figures_from(json.loads(out), path)


def test_a_1d_spec_shows_its_shapes() -> None:
    from dsc_cost.diff import figures_of_specs
    from dsc_cost.spec import load_files

    [net] = figures_of_specs(["k"], load_files(["configs/kws_ds_cnn_1d.yaml"]))
    # the first conv: 40 channels of length 98, kernel 10, stride 2, padding 4 → (98 + 8 − 10) // 2 + 1 = 49
    assert net.layers[0].output == "64×49"
