"""Writing the files a command is asked to write (a baseline, a report, a spec) as one step: a reader,
or the next command, sees the old file or the new one, never a part of one, whatever stops the writing."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
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


def _is_descriptor(path: str) -> bool:
    return os.path.abspath(path).startswith(_DESCRIPTORS)


def _refusal(status: os.stat_result) -> str | None:
    """Why a file of this status is not written, or ``None``: a folder, a regular file that is read-only (no
    write permission, or none for anyone: not replaced through its folder, even by root)."""
    if stat.S_ISDIR(status.st_mode):
        return "it is a folder (name a file)"
    if stat.S_ISREG(status.st_mode) and not (status.st_mode & 0o222):
        return "the file is read-only (it is not replaced)"
    return None


def check_target(path: str, what: str = "the file", inputs: Iterable[str] = ()) -> None:
    """Refuse, before any work is done, to write ``path`` when it is one of ``inputs`` (the same file, by
    any name: a link, ``..``; ``-`` for standard input), a folder, or a read-only file. A descriptor's name
    (``/dev/stdout``, ``/dev/fd/3``) is not looked at: it stands for what it is open to.

    :raises WriteError: ``PATH: cannot write WHAT: why``.
    """
    if _is_descriptor(path):
        return
    try:
        status = os.stat(path)
    except OSError:
        return  # a new file, or one that cannot be looked at: writing it says why
    refusal = _refusal(status)
    if refusal is None and stat.S_ISREG(status.st_mode) and not os.access(path, os.W_OK):
        refusal = "the file is read-only (it is not replaced)"
    if refusal is not None:
        raise WriteError(f"{path}: cannot write {what}: {refusal}")
    for source in inputs:
        try:
            read = os.fstat(0) if source == "-" else os.stat(source)
        except (OSError, ValueError):
            continue
        if (read.st_dev, read.st_ino) == (status.st_dev, status.st_ino) and not stat.S_ISCHR(status.st_mode):
            name = "standard input" if source == "-" else repr(source)
            raise WriteError(f"{path}: cannot write {what}: it is {name}, an input of the command (it is not replaced)")


def write_atomically(path: str, text: str | bytes, what: str = "the file") -> None:
    """Replace the file ``path`` (or create it) with ``text`` (as UTF-8, or bytes as they are) as one step:
    written to a temporary file in the same folder, flushed to disk, then renamed over it. Readers see the old file or
    the new, never a part of one; on any failure or interruption the temporary file is removed
    and ``path`` is untouched. The file keeps its permissions; a symbolic link stays one.

    What is not a regular file (``/dev/null``, a named pipe) is written to as it is: there is nothing
    to rename over it; a named pipe only when a reader has it open (else it is refused within a second:
    nothing would read it, and the write would wait for ever). A descriptor's name (``/dev/stdout``, ``/dev/fd/3``,
    ``/proc/self/fd/3``) is written to at its end: it stands for what the descriptor is open to, perhaps a
    file a shell opened to append to (``>> log``), which is neither replaced nor cut short. A folder and a
    read-only file are refused (:func:`check_target`), not replaced.

    The temporary file is ``.NAME.dsc-cost-PID.XXXXXXXX.tmp``: a process killed outright (SIGKILL) while it
    wrote leaves it, and the next write of the same file removes it (:func:`remove_leftovers`).

    :raises WriteError: when the file cannot be written, naming ``what`` it is (``the baseline``).
    :raises Terminated: on SIGTERM or SIGHUP while writing.
    """
    import tempfile  # only a command that writes a file needs it

    def cannot(error: OSError) -> WriteError:
        return WriteError(f"{path}: cannot write {what}: {error.strerror or error}")

    try:
        if _is_descriptor(path):  # at its end: what it is open to is not ours to cut
            _write_to(path, "a", text)
            return
        real = os.path.realpath(path)
        try:
            status: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            status = None
        refusal = None if status is None else _refusal(status)
        if refusal is not None:
            raise WriteError(f"{path}: cannot write {what}: {refusal}")
        if status is not None and stat.S_ISFIFO(status.st_mode):
            _write_to_pipe(real, text)
            return
        if status is not None and not stat.S_ISREG(status.st_mode):  # a device: nothing to rename over
            _write_to(real, "w", text)
            return
        if status is not None and not os.access(real, os.W_OK):
            raise WriteError(f"{path}: cannot write {what}: the file is read-only (it is not replaced)")
    except _NoReader:
        raise WriteError(f"{path}: cannot write {what}: a named pipe that no one reads (nothing was written)") from None
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
            if isinstance(text, bytes):
                with os.fdopen(handle, "wb") as binary:
                    binary.write(text)
                    binary.flush()
                    os.fsync(binary.fileno())
            else:
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


def _write_to(path: str, mode: str, text: str | bytes) -> None:
    if isinstance(text, bytes):
        with open(path, mode + "b") as binary:
            binary.write(text)
        return
    with open(path, mode, encoding="utf-8", errors="backslashreplace", newline="\n") as file:
        file.write(text)


class _NoReader(Exception):
    """A named pipe that no process has open to read."""


PIPE_WAIT = 1.0
"""The seconds a named pipe is given for a reader to open it (one started beside the command)."""


def _write_to_pipe(path: str, text: str | bytes) -> None:
    """Write into the named pipe ``path`` once a reader has it open; :class:`_NoReader` when none has within
    :data:`PIPE_WAIT` seconds (it is opened without waiting, then written to as any pipe is)."""
    import errno
    import time

    deadline = time.monotonic() + PIPE_WAIT
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise
            if time.monotonic() >= deadline:
                raise _NoReader from None
            time.sleep(0.02)
    os.set_blocking(descriptor, True)
    if isinstance(text, bytes):
        with os.fdopen(descriptor, "wb") as binary:
            binary.write(text)
        return
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as file:
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
