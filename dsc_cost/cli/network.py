"""``dsc-cost network``: every layer of networks described in YAML or JSON specs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
import typer.core

from . import params as p
from ._app import app
from ._shared import convention, emit, load, memory_settings, scaler, usage_error
from .import_ import AllowUnknown, OnnxInput, SharedWeights, Strict, onnx_options

if TYPE_CHECKING:
    from fractions import Fraction

    from ..report.columns import Need
    from ..spec import Bounds, Spec

DOCS = "docs/spec-format.md"


COMMON = frozenset({"type", "name", "repeat", "from"})
"""The fields every layer takes, which the summary does not repeat for each type."""


def spec_format_summary() -> str:
    """The layer types of a spec and their fields, the required ones first and starred, from the
    layer registry."""
    from ..layers import REGISTRY, load_plugins

    load_plugins()  # the types of installed plugins too

    types: dict[str, tuple[list[str], list[str]]] = {}  # type → (required, optional)
    for name, layer in REGISTRY.items():
        fields = [f for f in layer.fields if f.name not in COMMON]
        types[name] = ([f.name for f in fields if f.required], sorted(f.name for f in fields if not f.required))
    width = max(map(len, types)) + 1
    return "\n".join(
        f"{name + ':':<{width}} {', '.join([*(f + '*' for f in required), *optional]) or '-'}"
        for name, (required, optional) in types.items()
    )


HELP = """Cost every layer of each network in the spec files, with what it would cost with every conv
standard and with every conv depthwise separable.

FILE may be - for standard input (YAML, or JSON)."""


def _epilog() -> str:
    types = spec_format_summary()
    example = p.examples(
        "dsc-cost network configs/mobilenet_v1.yaml",
        "dsc-cost network configs/*.yaml --format markdown --exact",
        "dsc-cost network configs/resnet18.yaml --as torchinfo --flops",
        "dsc-cost network configs/mobilenet_v1.yaml --device a100 --dtype fp16",
    )
    return f"""{example}

A spec has a name, an input ([channels, height, width]), optional defaults, an optional budget
and a list of layers, each with a type and that type's fields (* required; every layer also
takes name and repeat, and from or inputs):

```
{types}
```

The spec format in full: {DOCS}"""


class _Command(typer.core.TyperCommand):
    """The network command, whose help's spec-format summary is made when help is shown (it reads the
    spec tables, which running the command need not import)."""

    @property
    def epilog(self) -> str:
        return _epilog()

    @epilog.setter
    def epilog(self, value: str | None) -> None:
        pass


Columns = Annotated[
    str | None,
    typer.Option(
        "--columns", metavar="NAME,...", rich_help_panel=p.OUTPUT,
        help="The per-layer columns of the table, Markdown and CSV, in this order, such as layer,mults,other_ops"
        " (JSON keeps every key); an unknown name is refused with the list of them all.",
    ),
]  # fmt: skip


def picked_columns(text: str | None, tool: str | None, device: str | None) -> list[str] | None:
    """The names of ``--columns``, known and each with what it needs (a usage error otherwise); ``None`` without."""
    if text is None:
        return None
    from ..report.columns import parse_names, pick, unmet

    names = parse_names(text)
    if not names:
        raise usage_error("--columns: name at least one column")
    try:
        columns = pick(names)
    except ValueError as error:
        raise usage_error(f"--columns: {error}") from None
    present: list[Need] = ["as"] if tool is not None else []
    present += ["device"] if device is not None else []
    for column, option in unmet(columns, present):
        raise usage_error(f"--columns: {column.name} needs {option}")
    return names


@app.command(cls=_Command, help=HELP, short_help="Cost every layer of networks described in YAML or JSON specs.")
def network(
    files: p.SpecFiles,
    batch: p.Batch = 1,
    flops: p.Flops = False,
    tool: p.As = None,
    format: p.FormatOption = "table",
    exact: p.Exact = False,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
    allow_include: p.AllowInclude = None,
    input: OnnxInput = None,
    strict: Strict = False,
    allow_unknown: AllowUnknown = False,
    shared_weights: SharedWeights = "per-use",
    dtype: p.Dtype = "fp32",
    weight_dtype: p.WeightDtype = None,
    activation_dtype: p.ActivationDtype = None,
    memory: p.Memory = False,
    device: p.DeviceOption = None,
    devices: p.DevicesFiles = None,
    width: p.WidthMultiplier = None,
    divisor: p.Divisor = None,
    resolution: p.OneResolution = None,
    columns: Columns = None,
    wide: p.Wide = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            rich_help_panel=p.OUTPUT,
            help="Say which depthwise layers make separable pairs with which 1×1 partners, and why the others do not.",
        ),
    ] = False,
) -> None:
    if explain and format == "csv":
        raise usage_error("--explain: not available with --format csv (use table, markdown or json)")
    if divisor is not None and width is None:
        raise usage_error("--divisor: rounds the channels of --width W: give --width too")
    names = picked_columns(columns, tool, device)
    from ..report import network_output
    from ..spec import Bounds, SpecError, cost_specs

    settings = memory_settings(dtype, weight_dtype, activation_dtype, device, devices, memory)
    onnx = onnx_options(input, strict, allow_unknown, shared_weights)
    specs = load(files, max_layers, max_file_size, onnx, allow_include)
    label = variant_label(width, divisor, resolution)
    if label:
        bounds = Bounds(max_layers, max_file_size, tuple(allow_include or ()))
        specs = [variant_spec(spec, label, width, divisor, resolution, bounds) for spec in specs]
    try:
        results = cost_specs(specs, batch)
    except SpecError as error:
        if not label:
            raise
        raise SpecError([e._replace(message=f"{e.message} (at {label})") for e in error.problems]) from None
    files_of = [spec.file for spec in specs]
    emit(
        network_output(
            results,
            format,
            exact=exact,
            flops=flops,
            convention=convention(tool),
            files=files_of,
            settings=settings,
            explain=explain,
            columns=names,
        ),
        wide,
    )


def variant_label(width: Fraction | None, divisor: int | None, resolution: int | None) -> str:
    """``width 1.4, divisor 8, resolution 160``: what ``--width``, ``--divisor`` and ``--resolution`` ask
    for, the width written as ``sweep`` writes it; empty without them."""
    from ..report.views import width_text

    parts = [f"width {width_text(width)}"] if width is not None else []
    parts += [f"divisor {divisor}"] if divisor is not None else []
    parts += [f"resolution {resolution}"] if resolution is not None else []
    return ", ".join(parts)


def variant_spec(
    spec: Spec, label: str, width: Fraction | None, divisor: int | None, resolution: int | None, bounds: Bounds
) -> Spec:
    """``spec`` with its network at ``width`` and ``resolution``, made as ``sweep`` makes each variant
    (:func:`dsc_cost.variants.variant`), and named ``NAME[label]``."""
    from ..variants import variant

    network = variant(spec.network, width, resolution, divisor, scaler(spec, divisor, bounds))
    renamed = spec._replace(network=network._replace(name=f"{spec.network.name}[{label}]"))
    if [n.name for n in network.nodes] != [n.name for n in spec.network.nodes]:  # other layers at this width
        renamed = renamed._replace(origins=(), inner=None)
    return renamed
