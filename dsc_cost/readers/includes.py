"""Where the files a spec includes (``include: PATH``) may be read from, and how they are read.

A spec may come from anyone (a pull request, the ``git:`` side of a ``diff`` in CI), so an include is
confined: by default it must resolve, symbolic links followed, inside the folder of the spec named on the
command line or inside the git repository that holds that folder; ``--allow-include PATH`` adds a folder
(or one file). Anything else is refused before it is opened. So is what is not a regular file (a named
pipe, a device, a folder): opening one may wait for ever or do something. A spec read from git
(``git:REV:PATH``) includes files of the same revision, read from git, never from the disk.

The number of inclusions of a run is bounded (:data:`MAX_INCLUDES`): a file that includes another
twice, which includes another twice, and so on, would otherwise make work that doubles with each file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable

MAX_INCLUDES = 1_000
"""The most inclusions a run makes in all, every include of every file counted each time it is made."""

ALLOW_HINT = "--allow-include PATH allows another folder"


class Refused(Exception):
    """An include that is not read; the message says why (the whole message, after ``include:``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def quoted(path: str) -> str:
    from ..errors import shorten

    return shorten(repr(path))


class Includes:
    """How the includes of one spec are found and read: this base finds nothing."""

    def identity(self, file: str) -> str:
        """What tells two files apart (a file included twice is read once; a cycle is seen by it)."""
        return file

    def find(self, including: str, raw: str) -> tuple[str, str]:
        """``(path, identity)`` of the file ``raw`` that ``including`` includes: the path as it is shown.

        :raises Refused: when it may not be read."""
        raise Refused(f"{quoted(raw)} cannot be included here")

    def read(self, path: str, identity: str, max_size: int) -> bytes:
        """The bytes of the file (at most ``max_size`` and one).

        :raises Refused: when it cannot, or may not, be read."""
        raise Refused(f"{quoted(path)} cannot be read")


def git_root(folder: str) -> str | None:
    """The top folder of the git repository (or work tree) that holds ``folder``, by its ``.git``; ``None``
    when none does. Git is not run."""
    current = folder
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _inside(path: str, root: str) -> bool:
    path, root = os.path.normcase(path), os.path.normcase(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class LocalIncludes(Includes):
    """Includes read from the disk, relative to the including file, confined to ``roots`` (resolved folders
    or files)."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = tuple(dict.fromkeys(roots))

    def identity(self, file: str) -> str:
        return os.path.realpath(file)

    def find(self, including: str, raw: str) -> tuple[str, str]:
        folder = os.path.dirname(including) if including not in ("-", "<spec>") else ""
        path = os.path.join(folder, raw)
        real = os.path.realpath(path)
        if not any(_inside(real, root) for root in self.roots):
            raise Refused(
                f"{quoted(path)} is outside the folders includes are read from (that of the spec named on the"
                f" command line, and the git repository holding it): not read; {ALLOW_HINT}"
            )
        return path, real

    def read(self, path: str, identity: str, max_size: int) -> bytes:
        """The file's bytes, if it is a regular file: anything else is refused before it is opened, and
        the file opened is checked to be the one looked at (no wait on a pipe swapped in meanwhile)."""

        def cannot(error: OSError) -> Refused:
            return Refused(f"cannot read the file: {error.strerror or error} ({quoted(path)})")

        try:
            status = os.stat(identity)
        except OSError as error:
            raise cannot(error) from None
        if not stat.S_ISREG(status.st_mode):
            raise Refused(f"{quoted(path)} is {_kind(status.st_mode)}, not a spec file: not read")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(identity, flags | getattr(os, "O_BINARY", 0))
        except OSError as error:
            raise cannot(error) from None
        with os.fdopen(descriptor, "rb") as handle:
            opened = os.fstat(descriptor)
            if (opened.st_dev, opened.st_ino) != (status.st_dev, status.st_ino) or not stat.S_ISREG(opened.st_mode):
                raise Refused(f"{quoted(path)} changed while it was being opened: not read")
            try:
                return handle.read(max_size + 1)
            except OSError as error:
                raise cannot(error) from None


def local_includes(file: str, allowed: Iterable[str] = ()) -> LocalIncludes:
    """The includes of the spec named ``file`` (``-``, standard input: the working folder's): its folder, the
    git repository holding it, and the paths ``allowed`` (``--allow-include``), each resolved."""
    folder = os.path.dirname(os.path.abspath(file)) if file not in ("-", "<spec>") else os.getcwd()
    real = os.path.realpath(folder)
    repository = git_root(real)
    roots = [real, *([repository] if repository else []), *(os.path.realpath(path) for path in allowed)]
    return LocalIncludes(roots)
