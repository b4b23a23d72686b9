"""The options the commands share: how each value is parsed, and the Typer declarations.

Each parser takes the text a user typed and returns the value, or raises
:class:`typer.BadParameter` with a message that shows what was expected, with examples
for that option (``--size``'s are sizes, ``--kernel``'s are kernels); Typer puts the
option's name in front: ``Invalid value for '--size' / '-s': expected …``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

import typer

from .. import units

# ---------------------------------------------------------------- help panels

SHAPE = "Shape"
CONVENTIONS = "Conventions"
OUTPUT = "Output"
BUDGETS = "Budgets"
BASELINE = "Baseline"
VARIANTS = "Variants"
FILTER = "Filter and order"
BOUNDS = "Bounds"
RUN = "Run"


def examples(*commands: str) -> str:
    """The examples section of a command's help (rich help reads it as Markdown)."""
    lines = "\n".join(commands)
    return f"Examples:\n\n```\n{lines}\n```"


# ---------------------------------------------------------------- parsers

T = TypeVar("T")


def given(parse: Callable[[str], T]) -> Callable[[str | T], T]:
    """``parse`` for text; a default value, already parsed, as it is (Typer passes defaults through)."""

    def convert(value: str | T) -> T:
        return parse(value) if isinstance(value, str) else value

    convert.__doc__ = parse.__doc__
    return convert


class HxW(NamedTuple):
    """Two whole numbers, height then width: a kernel, a stride, a size."""

    height: int
    width: int


def _whole(text: str, minimum: int) -> int:
    text = text.strip()
    digits = text.removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        raise typer.BadParameter(f"expected a whole number ≥ {minimum}, found {units.shorten(text)!r}")
    if not units.writable_digits(len(digits)):
        raise typer.BadParameter(
            f"value too large: expected a whole number of at most {units.max_digits():,} digits, found {len(digits):,}"
        )
    value = int(digits)
    if value < minimum:
        raise typer.BadParameter(f"expected a whole number ≥ {minimum}, found {value}")
    return value


def positive(text: str) -> int:
    """A whole number ≥ 1."""
    return _whole(text, 1)


MAX_LAYERS_CEILING = 10_000_000
"""The largest ``--max-layers``: 100 times the default (a layer takes a few kilobytes while it is costed)."""


def layer_bound(text: str) -> int:
    """A whole number from 1 to :data:`MAX_LAYERS_CEILING`."""
    value = _whole(text, 1)
    if value > MAX_LAYERS_CEILING:
        raise typer.BadParameter(
            f"value too large: expected a whole number of at most {MAX_LAYERS_CEILING:,}, found {units.shorten(text)!r}"
        )
    return value


_SIZE = re.compile(r"(\d+(?:_\d+)*)\s*(?:([kmgt])(i?))?b?", re.I)
MAX_FILE_SIZE_CEILING = 1024**3
"""The largest ``--max-file-size``: 1GiB, about 30 times the default."""


def file_size(text: str) -> int:
    """A size in bytes from 1 to :data:`MAX_FILE_SIZE_CEILING`: ``32M`` (K, M, G, T: powers of 1000),
    ``64MiB`` (KiB, MiB, GiB, TiB: powers of 1024) or a number of bytes, ``B`` optional."""
    match = _SIZE.fullmatch(text.strip()) if len(text) <= 64 else None
    if match is None:
        raise typer.BadParameter(
            f"expected a size such as 32M, 64MiB or 1000000 (bytes), found {units.shorten(text)!r}"
        )
    number, prefix, binary = match.group(1), match.group(2), match.group(3)
    power = "kmgt".index(prefix.lower()) + 1 if prefix else 0
    value: int = int(number.replace("_", "")) * (1024 if binary else 1000) ** power
    if value < 1:
        raise typer.BadParameter(f"expected a size of at least 1 byte, found {text!r}")
    if value > MAX_FILE_SIZE_CEILING:
        raise typer.BadParameter(
            f"value too large: expected a size of at most 1GiB ({MAX_FILE_SIZE_CEILING:,} bytes), found {text!r}"
        )
    return value


def hxw(example: str, minimum: int = 1) -> Callable[[str], HxW]:
    """A parser of ``N`` or ``HxW`` (``×`` too) whose errors show ``example``."""

    def parse(text: str) -> HxW:
        parts = text.lower().replace("×", "x").split("x")
        if len(parts) > 2 or not all(p.strip() for p in parts):
            raise typer.BadParameter(f"expected N or HxW, such as {example}, found {units.shorten(text)!r}")
        try:
            values = [_whole(p, minimum) for p in parts]
        except typer.BadParameter:
            raise typer.BadParameter(
                f"expected N or HxW of whole numbers ≥ {minimum}, such as {example}, found {units.shorten(text)!r}"
            ) from None
        return HxW(values[0], values[-1])

    return parse


ONE = HxW(1, 1)
THREE = HxW(3, 3)
NONE = HxW(0, 0)

kernel = hxw("3 or 3x5")
size = hxw("224 or 224x160")
stride = hxw("2 or 2x1")
dilation = hxw("2 or 2x1")


def padding(text: str) -> HxW | str:
    """``1``, ``1x2``, ``same`` or ``valid``."""
    if text.lower() in ("same", "valid"):
        return text.lower()
    try:
        return hxw("1 or 1x2", 0)(text)
    except typer.BadParameter:
        raise typer.BadParameter(
            "expected N or HxW of whole numbers ≥ 0 (such as 1 or 1x2), 'same' or 'valid', "
            f"found {units.shorten(text)!r}"
        ) from None


def _number(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except units.NumberError as error:
            raise typer.BadParameter(str(error)) from None

    return convert


count = _number(units.parse_count)
byte_size = _number(units.parse_bytes)
seconds = _number(units.parse_seconds)
fraction = _number(units.parse_fraction)
percent = _number(units.parse_percent)


MAX_WIDTH = 100
"""The largest width multiplier ``sweep`` takes."""

_WIDTH = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


def widths(text: str) -> tuple[Fraction, ...]:
    """``1,0.75,0.5``: positive decimal multipliers up to :data:`MAX_WIDTH`, kept as exact fractions."""
    return tuple(_multiplier(part.strip(), "positive decimals such as 1,0.75,0.5") for part in text.split(","))


def width(text: str) -> Fraction:
    """``0.75``: one width multiplier, read as :func:`widths` reads each."""
    if "," in text:
        raise typer.BadParameter(f"expected one width such as 0.75 (sweep takes a list), found {units.shorten(text)!r}")
    return _multiplier(text.strip(), "a positive decimal such as 0.75")


def _multiplier(part: str, expected: str) -> Fraction:
    """A positive decimal multiplier up to :data:`MAX_WIDTH`, exact (``expected`` says what was expected)."""
    value = Fraction(part) if len(part) <= 64 and _WIDTH.fullmatch(part) else Fraction(0)
    if value <= 0:
        raise typer.BadParameter(f"expected {expected}, found {units.shorten(part)!r}")
    if value > MAX_WIDTH:
        raise typer.BadParameter(f"value too large: expected widths of at most {MAX_WIDTH}, found {part!r}")
    return value


def resolutions(text: str) -> tuple[int, ...]:
    """``224,192``: whole numbers ≥ 1."""
    try:
        return tuple(_whole(part, 1) for part in text.split(","))
    except typer.BadParameter as error:
        raise typer.BadParameter(f"{error.message} (a comma-separated list such as 224,192,160)") from None


# ---------------------------------------------------------------- choices

FORMATS = ("table", "json", "csv", "markdown")
"""The formats of every command that prints costs (check prints text, json or github)."""
Format = Literal["table", "json", "csv", "markdown"]
CheckFormat = Literal["text", "json", "github"]

TOOLS = ("torchinfo", "ptflops", "fvcore", "thop", "keras", "flops")
"""The tools of ``--as``: the keys of :data:`dsc_cost.conventions.CONVENTIONS` (a test holds them equal),
written out so that parsing a command does not import the conventions."""
Tool = Literal["torchinfo", "ptflops", "fvcore", "thop", "keras", "flops"]
SortKey = Literal["params", "mults"]
SweepSortKey = Literal["params", "mults", "weight_bytes", "peak_memory", "latency"]
MEMORY_SORT_KEYS = ("weight_bytes", "peak_memory", "latency")

# ---------------------------------------------------------------- options


def _option(*names: str, panel: str, help: str, **kwargs: Any) -> Any:
    return typer.Option(*names, rich_help_panel=panel, help=help, **kwargs)


def _shape_option(*names: str, parse: Callable[[str], Any], metavar: str, help: str) -> Any:
    """A shape option whose default its help states (Typer would show the parsed default as a tuple)."""
    return _option(*names, panel=SHAPE, parser=given(parse), metavar=metavar, show_default=False, help=help)


def count_option(name: str, panel: str, help: str) -> Any:
    """An option taking a count as people write it (600M, 1.2e9): a budget or a filter."""
    return _option(name, panel=panel, parser=given(count), metavar="N", help=help)


def bytes_option(name: str, panel: str, help: str) -> Any:
    """An option taking a number of bytes (512K, 2MiB): a budget or a filter."""
    return _option(name, panel=panel, parser=given(byte_size), metavar="SIZE", help=help)


def seconds_option(name: str, panel: str, help: str) -> Any:
    """An option taking a time (3ms, 250us, 0.5s): a budget or a filter."""
    return _option(name, panel=panel, parser=given(seconds), metavar="TIME", help=help)


InChannels = Annotated[
    int, _option("--in-channels", "-c", panel=SHAPE, parser=given(positive), metavar="C", help="Input channels.")
]
OutChannels = Annotated[
    int, _option("--out-channels", "-o", panel=SHAPE, parser=given(positive), metavar="O", help="Output channels.")
]
OptionalInChannels = Annotated[
    int | None, _option("--in-channels", "-c", panel=SHAPE, parser=given(positive), metavar="C", help="Input channels.")
]
OptionalOutChannels = Annotated[
    int | None,
    _option("--out-channels", "-o", panel=SHAPE, parser=given(positive), metavar="O", help="Output channels."),
]
Kernel = Annotated[
    HxW, _shape_option("--kernel", "-k", parse=kernel, metavar="K", help="Kernel: 3 or 3x5 (default 3).")
]
Size = Annotated[
    HxW | None,
    _option("--size", "-s", panel=SHAPE, parser=given(size), metavar="HxW", help="Input size: 224 or 224x160."),
]
RequiredSize = Annotated[
    HxW | None,
    _option(
        "--size", "-s", panel=SHAPE, parser=given(size), metavar="HxW",
        help="Input size: 224 or 224x160. [required unless --height and --width]",
    ),
]  # fmt: skip
"""``--size`` where a size must be given, by it or by both ``--height`` and ``--width``."""
Height = Annotated[
    int | None,
    _option("--height", panel=SHAPE, parser=given(positive), metavar="H", help="Input height (overrides --size)."),
]
Width = Annotated[
    int | None,
    _option("--width", panel=SHAPE, parser=given(positive), metavar="W", help="Input width (overrides --size)."),
]
Stride = Annotated[HxW, _shape_option("--stride", parse=stride, metavar="S", help="Stride: 2 or 2x1 (default 1).")]
Padding = Annotated[
    Any,
    _shape_option(
        "--padding",
        parse=padding,
        metavar="P",
        help="Padding per side: 1, 1x2, same or valid (default 0, as in PyTorch).",
    ),
]
Dilation = Annotated[
    HxW, _shape_option("--dilation", parse=dilation, metavar="D", help="Dilation: 2 or 2x1 (default 1).")
]
Groups = Annotated[
    int,
    _option("--groups", "-g", panel=SHAPE, parser=given(positive), metavar="G", help="Groups of the standard conv."),
]
Multiplier = Annotated[
    int,
    _option(
        "--multiplier",
        "-m",
        panel=SHAPE,
        parser=given(positive),
        metavar="M",
        help="Depth multiplier of the depthwise step.",
    ),
]
Bias = Annotated[
    bool, _option("--bias", panel=SHAPE, help="Add a bias on the standard conv and on the pointwise step.")
]
BiasBoth = Annotated[
    bool,
    _option(
        "--bias-both", panel=SHAPE,
        help="Add a bias on the depthwise step too, as two PyTorch convs with bias do ('--bias both' also works).",
    ),
]  # fmt: skip
Batch = Annotated[
    int,
    _option(
        "--batch",
        "-b",
        panel=SHAPE,
        parser=given(positive),
        metavar="N",
        help="Batch size: multiplies mults, not params.",
    ),
]

WidthMultiplier = Annotated[
    Any,
    _option(
        "--width", "-w", panel=VARIANTS, parser=given(width), metavar="W", show_default=False,
        help="Cost the networks at this width multiplier, as sweep scales them.",
    ),
]  # fmt: skip
OneResolution = Annotated[
    int | None,
    _option(
        "--resolution", "-r", panel=VARIANTS, parser=given(positive), metavar="R",
        help="Cost the networks on an R×R input, as sweep does.",
    ),
]  # fmt: skip
Divisor = Annotated[
    int | None,
    _option(
        "--divisor", panel=VARIANTS, parser=given(positive), metavar="N",
        help="Round channels to multiples of N (MobileNet V2).",
    ),
]  # fmt: skip

Flops = Annotated[bool, _option("--flops", panel=CONVENTIONS, help="Also show FLOPs = 2 × mults.")]
As = Annotated[
    Tool | None,
    _option(
        "--as", panel=CONVENTIONS, metavar="TOOL",
        help="Also show what TOOL reports for the same layers.",
    ),
]  # fmt: skip
FormatOption = Annotated[Format, _option("--format", "-f", panel=OUTPUT, help="Output format.")]
Exact = Annotated[
    bool, _option("--exact", "-e", panel=OUTPUT, help="Full integers with separators in table and markdown.")
]

Wide = Annotated[
    bool,
    _option(
        "--wide",
        panel=OUTPUT,
        help="Draw tables as wide as they need, whatever the terminal's width: no column hidden, no cell folded.",
    ),
]

SpecFiles = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE",
        help="Network specs (.yaml, .yml or .json), ONNX models (.onnx), Keras models (.keras, .h5), or - for"
        " standard input.",
    ),
]

MAX_LAYERS = 100_000
"""The default of ``--max-layers`` (:data:`dsc_cost.spec.MAX_LAYERS`, which a test holds equal)."""
MAX_FILE_SIZE = 32_000_000
"""The default of ``--max-file-size`` (:data:`dsc_cost.spec.MAX_FILE_SIZE`, which a test holds equal)."""

MaxLayers = Annotated[
    int,
    _option(
        "--max-layers", panel=BOUNDS, parser=given(layer_bound), metavar="N", show_default=False,
        help="Most layers the specs may have in all, every network of every file, repeats expanded"
        " (default 100,000; at most 10,000,000): more is refused before any is costed.",
    ),
]  # fmt: skip
MaxFileSize = Annotated[
    int,
    _option(
        "--max-file-size", panel=BOUNDS, parser=given(file_size), metavar="SIZE", show_default=False,
        help="Largest spec file read: bytes, or 32M (K, M, G: powers of 1000) or 64MiB (KiB, MiB, GiB:"
        " powers of 1024); default 32M, at most 1GiB. A larger file is refused before it is read.",
    ),
]  # fmt: skip
AllowInclude = Annotated[
    list[str] | None,
    _option(
        "--allow-include", panel=BOUNDS, metavar="PATH", show_default=False,
        help="A folder (or a file) outside a spec's folder and its git repository that its includes may read"
        " (repeatable); any other is refused before it is opened.",
    ),
]  # fmt: skip


def setting(text: str) -> str:
    """``NAME=VALUE``: a parameter of a spec and its value."""
    name, equals, value = text.partition("=")
    if not (equals and name.strip().isidentifier() and value.strip()):
        raise typer.BadParameter(f"expected NAME=VALUE (width=0.75), found {units.shorten(text)!r}")
    return text


def settings(values: list[str] | None) -> dict[str, str]:
    """The values of ``--set``, by name (a name set twice: the last)."""
    return {name.strip(): value.strip() for name, _, value in (text.partition("=") for text in values or ())}


VariantOption = Annotated[
    list[str] | None,
    _option(
        "--variant", panel=VARIANTS, metavar="NAME", show_default=False,
        help="Cost this variant of each spec (its variants:), named NAME[variant] (repeatable; all: every one).",
    ),
]  # fmt: skip
SetOption = Annotated[
    list[str] | None,
    _option(
        "--set", panel=VARIANTS, parser=given(setting), metavar="NAME=VALUE", show_default=False,
        help="Give a parameter of each spec (its params:) a value, after the variant's (repeatable).",
    ),
]  # fmt: skip

# ---------------------------------------------------------------- memory and time

MEMORY = "Memory and time"
DtypeName = Literal["fp32", "fp16", "bf16", "int8"]
Dtype = Annotated[
    DtypeName,
    _option(
        "--dtype", panel=MEMORY, help="Precision of weights and activations, for their bytes and the device's peak."
    ),
]
WeightDtype = Annotated[
    DtypeName | None,
    _option("--weight-dtype", panel=MEMORY, show_default=False, help="Precision of the weights (default: --dtype)."),
]
ActivationDtype = Annotated[
    DtypeName | None,
    _option(
        "--activation-dtype", panel=MEMORY, show_default=False, help="Precision of the activations (default: --dtype)."
    ),
]
Memory = Annotated[
    bool,
    _option(
        "--memory", panel=MEMORY, help="Show bytes per layer and the peak activation memory (JSON always has them)."
    ),
]
DeviceOption = Annotated[
    str | None,
    _option(
        "--device", panel=MEMORY, metavar="NAME",
        help="Estimate time on a device: a profile ('dsc-cost devices' lists them) or peak=2T,bandwidth=50G"
        " (MACs/s, bytes/s).",
    ),
]  # fmt: skip
DevicesFiles = Annotated[
    list[str] | None,
    _option("--devices", panel=MEMORY, metavar="FILE", help="A YAML file of more device profiles (repeatable)."),
]


AllowUnknown = Annotated[
    bool,
    _option(
        "--allow-unknown",
        panel=OUTPUT,
        help="Cost an op of an ONNX model that is not understood, or a Keras layer not read, as nothing, and mark"
        " the result approximate (without it: exit 2, naming them).",
    ),
]
SharedWeights = Annotated[
    Literal["per-use", "once"],
    _option(
        "--shared-weights",
        panel=OUTPUT,
        metavar="MODE",
        help="Count a weight of an ONNX model that several layers read once per use (the architecture's count) or"
        " once.",
    ),
]

Threads = Annotated[
    int, _option("--threads", panel=RUN, min=0, help="onnxruntime's intra-op threads (0: its default).")
]
"""``--threads`` of ``measure`` and ``calibrate``: the same runtime, set alike."""
