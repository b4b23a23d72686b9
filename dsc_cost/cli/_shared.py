"""What several commands do: read spec files (with a progress bar when slow), describe one
convolution from options, look up a convention, and write the output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import typer

from ..formulas import Bias, DscCostError, Padding, ShapeError
from .params import HxW

if TYPE_CHECKING:
    from ..conventions import Convention
    from ..formulas import Comparison
    from ..network import Network
    from ..spec import Bounds, Spec

PROG = "dsc-cost"


def usage_error(message: str) -> Exception:
    """A usage error of the command being run: exit 2, with its usage line and help hint."""
    from . import _click as click

    return click.UsageError(message)


_OPTION_OF_FIELD = {
    "in_channels": "--in-channels",
    "out_channels": "--out-channels",
    "kernel": "--kernel",
    "stride": "--stride",
    "padding": "--padding",
    "dilation": "--dilation",
    "groups": "--groups",
    "multiplier": "--multiplier",
    "height": "--height/--size",
    "width": "--width/--size",
    "batch": "--batch",
}


def comparison(
    in_channels: int | None,
    out_channels: int | None,
    kernel: HxW,
    size: HxW | None,
    height: int | None,
    width: int | None,
    stride: HxW,
    padding: Padding,
    dilation: HxW,
    groups: int,
    multiplier: int,
    bias: bool,
    bias_both: bool,
    batch: int,
) -> Comparison:
    """The convolution the options describe, costed both ways (``bias_both``: a bias on the depthwise
    step too)."""
    from ..formulas import Conv, compare

    for option, value in (("'--in-channels' / '-c'", in_channels), ("'--out-channels' / '-o'", out_channels)):
        if value is None:
            raise usage_error(f"Missing option {option}.")
    assert in_channels is not None and out_channels is not None
    if size is None and (height is None or width is None):
        raise usage_error("the input size is missing: give --size, or both --height and --width")
    h = height if height is not None else size[0]  # type: ignore[index]
    w = width if width is not None else size[1]  # type: ignore[index]
    try:
        both: Bias = "both" if bias_both else bias
        conv = Conv(in_channels, out_channels, kernel, stride, padding, dilation, groups, multiplier, both)
        return compare(conv, h, w, batch)
    except ShapeError as error:
        raise typer.BadParameter(
            error.message, param_hint=f"'{_OPTION_OF_FIELD.get(error.field, error.field)}'"
        ) from error


def convention(tool: str | None) -> Convention | None:
    if tool is None:
        return None
    from ..conventions import CONVENTIONS

    return CONVENTIONS[tool]


def read_stdin(limit: int = -1) -> bytes:
    """Standard input's bytes, at most ``limit`` of them (all with -1)."""
    if limit < 0:
        return sys.stdin.buffer.read()
    from ..files import read_at_most

    return read_at_most(sys.stdin.buffer, limit)


def bounded_stdin(bounds: Bounds) -> Callable[[], bytes]:
    """A reader of standard input that reads no more than a spec file may hold, and one byte (so that
    one too many is seen)."""
    return lambda: read_stdin(bounds.max_file_size + 1)


def say(text: str) -> None:
    """Write ``text`` to standard error; when that cannot be written, say nothing (the exit code speaks)."""
    stream = sys.stderr
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError, AttributeError):
        discard(stream)


def warn(message: str) -> None:
    say(f"{PROG}: warning: {message}\n")


def expected_seconds(paths: Sequence[str]) -> float:
    """A rough forecast of the time to load ``paths``: about 0.5 MB of YAML or 3 MB of JSON a
    second on a small machine, plus a millisecond a file."""
    seconds = 0.001 * len(paths)
    for path in paths:
        try:
            size = os.path.getsize(path)
        except OSError:
            continue
        seconds += size / (3e6 if path.endswith(".json") else 5e5)
    return seconds


class progress:
    """A progress bar on stderr over the files being loaded, only when stderr is a terminal and
    the work will take more than about a second; it vanishes when done, so output stays clean.
    Entering gives the function to call with each path, or ``None`` when no bar is shown."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self.bar: Any = None

    def __enter__(self) -> Callable[[str], None] | None:
        if not sys.stderr.isatty() or expected_seconds(self.paths) < 1:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("loading", total=len(self.paths))

        def advance(path: str) -> None:
            bar.update(task, advance=1, description=os.path.basename(path))

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def load(
    paths: Sequence[str],
    max_layers: int,
    max_file_size: int,
    onnx: Any = None,
    allow_include: Sequence[str] | None = None,
) -> list[Spec]:
    """Every network of the spec files, within the bounds of ``--max-layers`` and ``--max-file-size``, their
    includes confined but for ``--allow-include``; ONNX files read with the options ``onnx``
    (:class:`dsc_cost.onnx.OnnxOptions`)."""
    from ..spec import Bounds, load_files

    bounds = Bounds(max_layers, max_file_size, tuple(allow_include or ()))
    with progress(paths) as advance:
        return load_files(paths, stdin=bounded_stdin(bounds), warn=warn, progress=advance, bounds=bounds, onnx=onnx)


def scaler(spec: Spec, divisor: int | None, bounds: Bounds) -> Callable[[Fraction], Network]:
    """How ``sweep`` and ``network --width`` make ``spec``'s network at a width: built again from its document
    (:func:`dsc_cost.spec.scaled_network`), so that channels a block derives from its input follow the scaled
    input."""
    from ..spec import scaled_network

    def scale(width: Fraction) -> Network:
        return scaled_network(spec, width, divisor, bounds)

    return scale


PIPE_WIDTH = 10_000
"""The width of tables written to a pipe or a file with no ``COLUMNS`` set: no terminal to fit,
so no column is dropped and nothing wraps."""


class OutputError(DscCostError):
    """Standard output that cannot be written (a full disk, a closed descriptor): exit 2."""


def rendered(output: object, wide: bool = False) -> str:
    """The text a command writes: text as it is, anything else (a rich renderable) drawn as a
    console that fits the terminal draws it, honouring NO_COLOR, FORCE_COLOR and TERM=dumb.
    Written to a pipe or a file (and not forced to colour), a table is plain text as wide as
    ``COLUMNS`` says, or as wide as it needs, with no trailing blanks. ``wide`` (``--wide``): as
    wide as it needs wherever it goes, no column hidden and nothing folded."""
    if isinstance(output, str):
        return output
    from rich.console import Console

    console = Console(highlight=False, markup=False, emoji=False, width=PIPE_WIDTH if wide else None)
    if console.is_terminal:
        with console.capture() as captured:
            console.print(output)
        text = captured.get()
        return "".join(line.rstrip(" ") + "\n" for line in text.splitlines()) if wide else text
    from ..report import to_text

    columns = os.environ.get("COLUMNS", "")
    given = int(columns) if columns.isdigit() and int(columns) > 0 and not wide else PIPE_WIDTH
    return to_text(output, given)


def write(text: str) -> None:
    """Write ``text`` to standard output (what UTF-8 cannot write, escaped: ``\\udcff``). A reader that went
    away (``| head``) is not an error:
    the rest has nowhere to go and the exit code stays what the result deserves; any other
    failure raises :class:`OutputError`, one line."""
    stream = sys.stdout
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:  # a file name that is not UTF-8 (its bytes are lone surrogates): escaped
            stream.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))
        stream.flush()
    except BrokenPipeError:
        discard(stream)
    except (OSError, ValueError, AttributeError) as error:  # ValueError: a closed file object
        discard(stream)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "standard output is closed"
        raise OutputError(f"{PROG}: cannot write the output: {reason}") from None


def discard(stream: object) -> None:
    """Point ``stream``'s descriptor at the null device, so that what is still buffered for it
    is not written again (and fails again) when Python exits."""
    try:
        descriptor = stream.fileno()  # type: ignore[attr-defined]
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(null, descriptor)
    except OSError:
        pass
    finally:
        os.close(null)


def emit(output: object, wide: bool = False) -> None:
    """Write a command's output (:func:`rendered`, then :func:`write`); ``wide``: tables as wide as they need."""
    write(rendered(output, wide))


def memory_settings(
    dtype: str,
    weight_dtype: str | None,
    activation_dtype: str | None,
    device: str | None,
    devices: Sequence[str] | None,
    show: bool,
) -> Any:
    """The :class:`~dsc_cost.memory.Settings` the options ask for (imports the devices only for a device);
    ``None`` when they ask for nothing but the defaults (fp32, no device, no memory columns)."""
    if device is None and not devices and not show and dtype == "fp32" and weight_dtype is activation_dtype is None:
        return None
    from ..memory import Settings

    found = None
    if device is not None:
        from ..devices import resolve

        found = resolve(device, devices or ())
        from ..memory import compute_dtype

        found.peak_for(compute_dtype(weight_dtype or dtype, activation_dtype or dtype))  # a missing peak: said now
    elif devices:
        from ..devices import read_profiles

        read_profiles(devices)  # its problems are said even when no device of it is used
    return Settings(weight_dtype or dtype, activation_dtype or dtype, found, show or found is not None)
