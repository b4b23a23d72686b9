"""``include:``: another spec file's layers used as a block, found beside the including file."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from conftest import Run


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def network_json(run: Run, *argv: str) -> dict[str, Any]:
    code, out, err = run("network", *argv, "--format", "json")
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    return net  # type: ignore[no-any-return]


def test_segmentation_head_on_an_included_backbone(run: Run) -> None:
    net = network_json(run, "tests/data/segmentation.yaml")
    names = [layer["name"] for layer in net["layers"]]
    assert names[:4] == ["backbone.stem", "backbone.stage1", "backbone.stage2", "backbone.stage3"]
    # By hand, on 128×128 (the backbone's own input: [3, 64, 64] is not used; it reads what it receives):
    # stem 3·9·16 = 432 params on 64×64 = 4,096 positions; stage1 16·9 + 16·32 = 656 on 32×32;
    # stage2 32·9 + 32·64 = 2,336 on 16×16; stage3 64·9 + 64·128 = 8,768 on 8×8; classes 128·21 + 21 = 2,709 on 8×8.
    params = 432 + 656 + 2_336 + 8_768 + 2_709
    mults = 432 * 4_096 + 656 * 1_024 + 2_336 * 256 + 8_768 * 64 + 128 * 21 * 64
    assert (net["totals"]["params"], net["totals"]["mults"]) == (params, mults) == (14_901, 3_772_416)
    # The auxiliary classifier reads backbone.stage2 (64×16×16) in training only: 64·21 + 21 params, 64·21 mults.
    assert net["totals"]["training"] == {"params": params + 1_365, "mults": mults + 1_344}
    assert net["output"] == {"channels": 21, "height": 128, "width": 128}


def test_the_included_file_runs_alone_too(run: Run) -> None:
    net = network_json(run, "tests/data/backbone.yaml")
    assert [layer["name"] for layer in net["layers"]] == ["stem", "stage1", "stage2", "stage3"]
    assert net["totals"]["params"] == 432 + 656 + 2_336 + 8_768


def test_paths_are_relative_to_the_including_file_and_nest(run: Run, tmp_path: Path) -> None:
    write(tmp_path, "parts/conv.yaml", "input: [3, 4, 4]\nlayers:\n  - {name: c, type: pointwise, out: 8}\n")
    write(tmp_path, "parts/pair.yaml", "input: [3, 4, 4]\nlayers:\n  - {include: conv.yaml}\n  - {name: d, type: pointwise, out: 2}\n")  # fmt: skip
    main = write(tmp_path, "main.yaml", "input: [3, 4, 4]\nlayers:\n  - {name: p, include: parts/pair.yaml}\n  - {name: e, type: pointwise, out: 5, from: p.conv.c}\n")  # fmt: skip
    net = network_json(run, str(main))
    assert [layer["name"] for layer in net["layers"]] == ["p.conv.c", "p.d", "e"]
    assert net["totals"]["params"] == 3 * 8 + 8 * 2 + 8 * 5  # e reads p.conv.c's 8 channels


def test_include_problems_are_located_all_at_once(run: Run, tmp_path: Path) -> None:
    a = write(
        tmp_path,
        "a.yaml",
        """\
        input: [3, 8, 8]
        blocks:
          b:
            layers:
              - {include: bad.yaml}
        layers:
          - {name: first, include: b.yaml}
          - {name: gone, include: missing.yaml}
          - {name: odd, include: other.yaml, repeat: 2}
          - {name: worse, include: bad.yaml, train_only: maybe}
          - {name: x, type: b}
        """,
    )
    b = write(tmp_path, "b.yaml", "input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 4}\n  - {name: back, include: a.yaml}\n")  # fmt: skip
    bad = write(tmp_path, "bad.yaml", "input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 0}\n")
    code, out, err = run("network", str(a))
    assert (code, out) == (2, "")
    missing = tmp_path / "missing.yaml"
    assert sorted(err.splitlines()) == sorted(
        [
            f"{a}:5:19: layers[4] (x.layers[0]): include: expected no include: in a block (a network's layers take one)",
            f"{a}:8:27: layers[1] (gone): include: cannot read the file: No such file or directory ('{missing}')",
            f"{a}:9:38: layers[2] (odd): repeat: unknown field: a layer that includes a file takes include, name, "
            "from, train_only, width",
            f"{a}:9:26: layers[2] (odd): include: cannot read the file: No such file or directory "
            f"('{tmp_path / 'other.yaml'}')",
            f"{a}:10:50: layers[3] (worse): train_only: expected true or false, found 'maybe'",
            f"{b}:4:27: layers[1] (back): include: a file may not include itself: {a} → {b} → {a}",
            f"{bad}:3:28: layers[0]: out: expected a positive integer, found 0",
        ]
    )


def test_the_layer_bound_counts_the_whole_include_tree(run: Run) -> None:
    # segmentation.yaml lists 5 layers; its backbone.yaml 4 more: the 4th layer built, stage3, passes a bound of 3.
    code, out, err = run("network", "tests/data/segmentation.yaml", "--max-layers", "5")
    assert (code, out) == (2, "")
    assert err.startswith("tests/data/segmentation.yaml:7:5: layers[2] (up): the specs would have more than 5 layers")


def test_the_layer_bound_stops_inside_an_included_file(run: Run, tmp_path: Path) -> None:
    main = write(tmp_path, "main.yaml", "input: [3, 64, 64]\nlayers:\n  - {include: backbone.yaml}\n")
    (tmp_path / "backbone.yaml").write_text(Path("tests/data/backbone.yaml").read_text())
    code, out, err = run("network", str(main), "--max-layers", "3")
    assert (code, out) == (2, "")
    assert err.startswith(f"{tmp_path / 'backbone.yaml'}:9:5: layers[3] (stage3): the specs would have more than 3")


def test_the_file_size_bound_holds_for_included_files(run: Run, tmp_path: Path) -> None:
    main = write(tmp_path, "main.yaml", "input: [3, 8, 8]\nlayers:\n  - {include: big.yaml}\n")
    big = write(tmp_path, "big.yaml", "# " + "x" * 200 + "\ninput: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 4}\n")
    code, out, err = run("network", str(main), "--max-file-size", "100")
    assert (code, out) == (2, "")
    assert err == (
        f"{main}:3:15: layers[0]: include: {str(big)!r} is larger than 100 bytes (the bound of one file; "
        "--max-file-size SIZE raises it)\n"
    )


def test_a_file_included_twice_is_read_once_and_its_problems_said_once(run: Run, tmp_path: Path) -> None:
    main = write(tmp_path, "main.yaml", "input: [3, 8, 8]\nlayers:\n  - {name: a, include: bad.yaml}\n  - {name: b, include: bad.yaml}\n")  # fmt: skip
    bad = write(tmp_path, "bad.yaml", "input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 0}\n")
    code, out, err = run("network", str(main))
    assert (code, out) == (2, "")
    assert err == f"{bad}:3:28: layers[0]: out: expected a positive integer, found 0\n"


def test_includes_nest_at_most_twenty_deep(run: Run, tmp_path: Path) -> None:
    for level in range(25):  # f0 includes f1, which includes f2, …
        write(tmp_path, f"f{level}.yaml", f"input: [3, 8, 8]\nlayers:\n  - {{include: f{level + 1}.yaml}}\n")
    code, out, err = run("network", str(tmp_path / "f0.yaml"))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'f20.yaml'}:3:15: layers[0]: include: includes nested deeper than 20 files\n"


def test_an_include_reads_a_split_part_as_any_layer_does(run: Run, tmp_path: Path) -> None:
    write(tmp_path, "conv.yaml", "input: [3, 4, 4]\nlayers:\n  - {name: c, type: pointwise, out: 5}\n")
    main = write(
        tmp_path,
        "main.yaml",
        """\
        input: [6, 4, 4]
        layers:
          - {name: s, type: split, sizes: [2, 4]}
          - {name: inc, include: conv.yaml, from: s.1}
        """,
    )
    net = network_json(run, str(main))
    # inc.c reads part 1 of the split, 4 of the 6 channels: 4·5 = 20 params, 20·16 = 320 mults
    assert [(layer["name"], layer["params"], layer["mults"]) for layer in net["layers"]][1] == ("inc.c", 20, 320)
    # naming the split itself is the problem it is for any layer's from:
    main.write_text(main.read_text().replace("from: s.1", "from: s"))
    code, out, err = run("network", str(main))
    assert (code, out) == (2, "")
    assert "layers[1] (inc): from: " in err and "'s.0'" in err and "'s.1'" in err
