"""What ``-o`` (and ``--update-baseline``) may name: never an input of the command (by any name), a folder or a
read-only file, which are refused before any work and left as they were; a named pipe only when someone reads
it; ``/dev/null`` and ``/dev/stdout`` as ever."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, Run

SPEC = ROOT / "configs" / "mobilenet_v1.yaml"
MODEL = ROOT / "tests" / "data" / "tiny.onnx"


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return Path(shutil.copy(SPEC, tmp_path / "s.yaml"))


def test_report_onto_its_spec_is_refused_by_any_name(run: Run, spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(spec.parent)
    Path("link.yaml").symlink_to("s.yaml")
    os.link("s.yaml", "hard.yaml")
    before = spec.read_bytes()
    for target in ("s.yaml", "./s.yaml", "link.yaml", "hard.yaml"):
        code, out, err = run("report", "s.yaml", "-o", target)
        assert (code, out) == (2, "")
        assert err == (
            f"dsc-cost: {target}: cannot write the report: it is 's.yaml', an input of the command (it is not replaced)\n"
        )
    assert spec.read_bytes() == before and Path("link.yaml").is_symlink()


def test_report_onto_a_devices_file_is_refused(run: Run, tmp_path: Path) -> None:
    devices = tmp_path / "devices.yaml"
    devices.write_text("devices:\n  box: {peak: 1T, bandwidth: 10G}\n")
    code, _, err = run("report", str(SPEC), "--devices", str(devices), "-o", str(devices))
    assert code == 2 and "an input of the command" in err


def test_import_onto_its_model_is_refused(run: Run, tmp_path: Path) -> None:
    model = Path(shutil.copy(MODEL, tmp_path / "m.onnx"))
    before = model.read_bytes()
    code, out, err = run("import", str(model), "-o", str(model))
    assert (code, out) == (2, "")
    assert (
        err == f"{model}: cannot write the spec: it is {str(model)!r}, an input of the command (it is not replaced)\n"
    )
    assert model.read_bytes() == before


def test_a_baseline_that_is_an_input_spec_is_not_updated(run: Run, spec: Path) -> None:
    before = spec.read_bytes()
    code, out, err = run("check", str(spec), "--baseline", str(spec), "--update-baseline")
    assert (code, out) == (2, "")
    assert err.endswith(f"{spec}: cannot write the baseline: it is {str(spec)!r}, an input of the command (it is not replaced)\n")  # fmt: skip
    assert spec.read_bytes() == before


def test_standard_input_is_an_input_too(spec: Path) -> None:
    with spec.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "dsc_cost", "report", "-", "-o", str(spec)],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    message = "cannot write the report: it is standard input, an input of the command (it is not replaced)"
    assert done.stderr == f"dsc-cost: {spec}: {message}\n"
    assert spec.read_bytes() == SPEC.read_bytes()


def test_a_folder_is_refused(run: Run, tmp_path: Path) -> None:
    code, out, err = run("report", str(SPEC), "-o", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"dsc-cost: {tmp_path}: cannot write the report: it is a folder (name a file)\n"
    code, _, err = run("import", str(MODEL), "-o", str(tmp_path))
    assert (code, err) == (2, f"{tmp_path}: cannot write the spec: it is a folder (name a file)\n")


def test_a_read_only_baseline_is_refused_not_replaced_through_its_folder(run: Run, tmp_path: Path) -> None:
    baseline = tmp_path / "costs.json"
    code, out, _ = run("network", str(SPEC), "--format", "json")
    baseline.write_text(out)
    baseline.chmod(0o444)
    before = baseline.read_bytes()
    code, out, err = run("check", str(SPEC), "--baseline", str(baseline), "--update-baseline")
    assert code == 2
    assert err == f"{baseline}: cannot write the baseline: the file is read-only (it is not replaced)\n"
    assert baseline.read_bytes() == before and stat.S_IMODE(baseline.stat().st_mode) == 0o444  # even for root
    report = tmp_path / "r.html"
    report.write_text("old")
    report.chmod(0o400)
    code, _, err = run("report", str(SPEC), "-o", str(report))
    assert (code, err) == (2, f"dsc-cost: {report}: cannot write the report: the file is read-only (it is not replaced)\n")  # fmt: skip
    assert report.read_text() == "old"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_no_one_reads_is_refused_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", "import", str(MODEL), "-o", str(pipe)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert time.perf_counter() - start < 10  # a second for a reader to come, then refused
    assert done.returncode == 2
    assert done.stderr == f"{pipe}: cannot write the spec: a named pipe that no one reads (nothing was written)\n"


def test_the_null_device_and_standard_output_are_written_as_ever(run: Run) -> None:
    code, _, err = run("report", str(SPEC), "-o", os.devnull)
    assert code == 0 and err.startswith(f"wrote {os.devnull}: 1 network")
    if os.path.exists("/dev/stdout"):
        done = subprocess.run(
            [sys.executable, "-m", "dsc_cost", "import", str(MODEL), "-o", "/dev/stdout"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert done.stdout.startswith('name: "tiny"\ninput: [')
