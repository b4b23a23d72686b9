"""Writing the files a command is asked to write (a baseline, a report, a spec) as one step: a reader,
or the next command, sees the old file or the new one, never a part of one, whatever stops the writing."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from typing import Any

from .errors import DscCostError


class WriteError(DscCostError):
    """A file that cannot be written: ``PATH: cannot write WHAT: the system's reason``."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while a file was being written (the temporary file is gone, the file
    is as it was); an interruption like Ctrl-C, but the command line exits with 128 + the signal's
    number (143 for SIGTERM, 129 for SIGHUP), as the shell would say."""

    def __init__(self, signum: int, what: str = "the file") -> None:
        super().__init__(signum)
        self.signum = signum
        self.what = what

    @property
    def name(self) -> str:
        import signal

        return signal.Signals(self.signum).name


_DESCRIPTORS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")
"""Names of open descriptors: ``/proc/self/fd/N`` and the like, ``/dev/fd/N``, standard output and error."""


def write_atomically(path: str, text: str, what: str = "the file") -> None:
    """Replace the file ``path`` (or create it) with ``text`` as one step: written to a temporary
    file in the same folder, flushed to disk, then renamed over it. Readers see the old file or
    the new, never a part of one; on any failure or interruption the temporary file is removed
    and ``path`` is untouched. The file keeps its permissions; a symbolic link stays one.

    What is not a regular file (``/dev/null``, a named pipe) is written to as it is: there is nothing
    to rename over it. A descriptor's name (``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/3``) is
    written to at its end: it stands for what the descriptor is open to, perhaps a file a shell opened
    to append to (``>> log``), which is neither replaced nor cut short.

    The temporary file is ``.NAME.dsc-cost-PID.XXXXXXXX.tmp``: a process killed outright (SIGKILL) while it
    wrote leaves it, and the next write of the same file removes it (:func:`remove_leftovers`).

    :raises WriteError: when the file cannot be written, naming ``what`` it is (``the baseline``).
    :raises Terminated: on SIGTERM or SIGHUP while writing.
    """
    import tempfile  # only a command that writes a file needs it

    def cannot(error: OSError) -> WriteError:
        return WriteError(f"{path}: cannot write {what}: {error.strerror or error}")

    try:
        if os.path.abspath(path).startswith(_DESCRIPTORS):  # at its end: what it is open to is not ours to cut
            _write_to(path, "a", text)
            return
        real = os.path.realpath(path)
        try:
            status: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            status = None
        if status is not None and not stat.S_ISREG(status.st_mode):  # a device, a pipe: nothing to rename over
            _write_to(real, "w", text)
            return
    except OSError as error:
        raise cannot(error) from None
    if status is None:  # a new file: the permissions the umask gives
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    else:
        mode = stat.S_IMODE(status.st_mode)
    folder, name = os.path.split(real)
    remove_leftovers(real)
    temporary: str | None = None
    with _signals_raise(what):
        try:
            handle, temporary = tempfile.mkstemp(
                prefix=f"{_leftover_prefix(name)}{os.getpid()}.", suffix=".tmp", dir=folder
            )
            with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, real)
        except BaseException as error:  # Ctrl-C, SIGTERM, SIGHUP too: never leave the temporary file behind
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            if isinstance(error, OSError):
                raise cannot(error) from None
            raise


def _leftover_prefix(name: str) -> str:
    return f".{name}.dsc-cost-"


def remove_leftovers(path: str) -> list[str]:
    """Remove the temporary files that writing ``path`` left beside it, and say which: those named
    ``.NAME.dsc-cost-PID.XXXXXXXX.tmp`` whose process ``PID`` no longer runs. Only a process that was
    killed outright (SIGKILL, a power cut) leaves one: every other end of a write removes its own."""
    folder, name = os.path.split(path)
    prefix = _leftover_prefix(name)
    removed: list[str] = []
    try:
        entries = [e for e in os.scandir(folder or ".") if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return removed
    for entry in entries:
        pid = entry.name[len(prefix) :].partition(".")[0]
        if not (pid.isascii() and pid.isdigit() and 0 < len(pid) <= 10) or _running(int(pid)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.path)
    return removed


def _running(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user's too); this one's is running."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):  # not ours to signal (it runs), or no such number
        return True
    return True


def _write_to(path: str, mode: str, text: str) -> None:
    with open(path, mode, encoding="utf-8", errors="backslashreplace", newline="\n") as file:
        file.write(text)


@contextlib.contextmanager
def _signals_raise(what: str) -> Iterator[None]:
    """For the duration: SIGTERM and SIGHUP (left at their default, which ends the process on the
    spot) raise :class:`Terminated` instead, so that ``finally`` clauses run; then restored."""
    import signal
    import threading

    def raise_terminated(signum: int, frame: object) -> None:
        raise Terminated(signum, what)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
            if number is not None and signal.getsignal(number) == signal.SIG_DFL:
                previous[number] = signal.signal(number, raise_terminated)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_CHUNK = 1 << 20


def read_at_most(handle: Any, limit: int) -> bytes:
    """At most ``limit`` bytes of the binary stream ``handle``, read a mebibyte at a time: however large
    ``limit`` is, no more memory is taken than the bytes there are (``read(limit)`` sets aside ``limit``
    bytes at once, and refuses a ``limit`` past the largest index)."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = handle.read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
