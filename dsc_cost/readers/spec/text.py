"""The text of a spec file: read with a bound on its size, decoded as UTF-8."""

from __future__ import annotations

from collections.abc import Callable

from ...errors import Located, SpecError
from ...files import read_at_most
from ..bounds import MAX_FILE_SIZE
from ..yamltext import _position


def read_text(path: str, stdin: Callable[[], bytes] | None = None, max_size: int = MAX_FILE_SIZE) -> str:
    """The UTF-8 text of ``path`` (``-`` reads ``stdin``); :class:`SpecError` when it cannot be read or
    holds more than ``max_size`` bytes (no more than that and one byte is read: ``/dev/zero`` too)."""
    try:
        if path == "-" and stdin is not None:
            data = stdin()
        else:
            with open(path, "rb") as handle:
                data = read_at_most(handle, max_size + 1)
    except OSError as error:
        raise SpecError([Located(path, 0, 0, "", "", f"cannot read the file: {error.strerror or error}")]) from None
    return decode(data, path, max_size)


def decode(data: bytes, path: str, max_size: int = MAX_FILE_SIZE) -> str:
    """The UTF-8 text of the bytes ``data`` of the file ``path`` (a byte-order mark dropped); :class:`SpecError`
    when there are more than ``max_size`` of them or they are not UTF-8."""
    if len(data) > max_size:
        message = f"the file is larger than {max_size:,} bytes (the bound of one file; --max-file-size SIZE raises it)"
        raise SpecError([Located(path, 1, 1, "", "", message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8", errors="replace")
        line, column = _position(good, len(good))
        raise SpecError(
            [Located(path, line, column, "", "", f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded")]
        ) from None
