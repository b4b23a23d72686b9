"""Writing a file a command is asked to write: in one step where it is a file, as it is where it is not."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dsc_cost.files import WriteError, write_atomically

WRITE = "import sys; from dsc_cost.files import write_atomically; write_atomically(sys.argv[1], 'two\\n')"


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_standard_output_opened_to_append_to_is_appended_to(tmp_path: Path) -> None:
    """``-o /dev/stdout >> log``: the log keeps what it had; ``> file``: the file is what was written."""
    log = tmp_path / "log"
    log.write_text("one\n")
    with log.open("a") as appending:
        subprocess.run([sys.executable, "-c", WRITE, "/dev/stdout"], stdout=appending, check=True)
    assert log.read_text() == "one\ntwo\n" and [p.name for p in tmp_path.iterdir()] == ["log"]
    with log.open("w") as fresh:
        subprocess.run([sys.executable, "-c", WRITE, "/dev/stdout"], stdout=fresh, check=True)
    assert log.read_text() == "two\n"
    done = subprocess.run([sys.executable, "-c", WRITE, "/dev/stdout"], stdout=subprocess.PIPE, check=True)
    assert done.stdout == b"two\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text()))
    reader.start()
    write_atomically(str(pipe), "two\n", "the report")
    reader.join(10)
    assert read == ["two\n"] and stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_file_is_replaced_and_a_missing_folder_is_one_message_naming_what(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("one\n")
    write_atomically(str(path), "two\n", "the spec")
    assert path.read_text() == "two\n" and [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]
    missing = tmp_path / "nowhere" / "spec.yaml"
    with pytest.raises(WriteError) as error:
        write_atomically(str(missing), "x", "the spec")
    assert str(error.value) == f"{missing}: cannot write the spec: No such file or directory"
