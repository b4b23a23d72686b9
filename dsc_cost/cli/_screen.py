"""The help screen of every command, drawn to the terminal's width: one renderer for all of them (the classes of
:mod:`._help` call it).

Typer's rich help lays out each panel as a rich table that shrinks columns to fit, which at 80 columns cuts
option names (``--min-savings-vs-standard,--mi…``) and breaks choices mid-word; it shows a type for flags
(``--exact <bool>``) and arguments (``FILE <list[str]>``, usage ``{FILE}...``), and a default given as text in
parentheses (``[default: (0)]``); and Markdown wraps example commands without a continuation mark. This module
draws the same screens (usage, description, option panels, commands, epilog) with its own layout:

* flags show no value; an option taking a value shows its metavar (the last word of its name in capitals
  when it has none), an argument ``FILE``, ``FILE...`` when it takes several, ``[FILE]...`` when they are optional;
* choices are listed whole in the help, ``[choices: table, json, csv, markdown]``, defaults as they are written
  on the command line, ``[default: 0]``, and required options are starred and say ``[required]``; an option
  required only without others ends its help with the condition, ``[required unless --height and --width]``, and
  is marked alike;
* option names are never cut: the names column is at least as wide as the longest single name, and names wrap
  between aliases; where the help beside them would be narrower than :data:`MIN_HELP`, it goes under them;
* the description and the epilog are read as Markdown (paragraphs, ``*`` or ``-`` lists, fenced code,
  ``code`` spans, ``**bold**``); a line of a code block that starts with the program's name is a command,
  wrapped with `` \\`` continuations so that a copied command runs; any other long code line wraps with a hanging
  indent under its second field (a ``name: values`` list stays a list).

The width is ``TERMINAL_WIDTH`` (Typer's setting) or the terminal's (``COLUMNS``, else the terminal itself, else
80); colour as rich decides it (``NO_COLOR``, ``FORCE_COLOR``, and as Typer: ``PY_COLORS`` and ``GITHUB_ACTIONS``
force it). rich is imported only when help is shown.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import typer.core

from ._shared import PROG

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

STYLES = {
    "usage": "yellow",
    "usage_line": "bold",
    "long": "bold cyan",
    "short": "bold green",
    "negative": "bold magenta",
    "metavar": "bold yellow",
    "required": "red",
    "required_note": "dim red",
    "extra": "dim",
    "command": "bold cyan",
    "rest": "dim",
    "border": "dim",
    "code": "bold",
}

_REQUIRED_UNLESS = re.compile(r"\s*(\[required unless [^\]]+\])\s*$")
"""The end of a help text that says when an option is required: ``[required unless --height and --width]``."""
_BULLET = re.compile(r"^\s{0,3}[*+-]\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\\([\\`*_{}\[\]()#+\-.!|])")

MIN_HELP = 20
"""The narrowest help column beside the names; narrower, the help goes under the names."""


# ---------------------------------------------------------------- what a parameter shows


def is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False) or getattr(param, "count", False))


def usage_name(param: Any) -> str:
    """An argument as the usage line and the arguments panel show it: ``FILE``, ``FILE...``, ``[FILE]...``."""
    name = param.metavar or (param.name or "").upper()
    shown = name if param.required else f"[{name}]"
    return f"{shown}..." if param.nargs != 1 else shown


def choices(param: Any) -> list[str]:
    """The values ``param`` takes when they are a fixed set (Typer's descriptor, or click's Choice), else []."""
    found: Iterable[Any] | None = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if found is None:
        found = getattr(getattr(param, "type", None), "choices", None)
    return [str(c.value if isinstance(c, Enum) else c) for c in found or ()]


def metavar(param: Any) -> str:
    """What an option takes, as its help shows it: its metavar, else the last word of its longest name in
    capitals (``--weight-dtype``: ``DTYPE``); nothing for a flag."""
    if is_argument(param) or _is_flag(param):
        return ""
    if param.metavar:
        return str(param.metavar)
    longest = max(param.opts, key=len, default=param.name or "")
    return re.split(r"[-_]+", longest.strip("-/_"))[-1].upper()


def plain(value: Any) -> str:
    """A value as it would be written on the command line: 0.75 rather than 3/4, 1 rather than (1)."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return str(float(value)) if Fraction(float(value)) == value else str(value)
    if isinstance(value, (list, tuple)):
        return ",".join(plain(v) for v in value)
    return str(value)


def default_text(param: Any, ctx: Any) -> str:
    """The default ``param`` shows, as written on the command line ("" for none)."""
    show = getattr(param, "show_default", None)
    if isinstance(show, str):
        return show
    if show is False or (show is None and not getattr(ctx, "show_default", False)):
        return ""
    resilient = ctx.resilient_parsing
    ctx.resilient_parsing = True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    if value is None or callable(value) or (isinstance(value, (list, tuple)) and not value):
        return ""
    if _is_flag(param):
        secondary = getattr(param, "secondary_opts", None)
        if not secondary or not isinstance(value, bool):
            return ""
        return str(param.opts[0] if value else secondary[0])
    return plain(value)


def _range_text(param: Any) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}" if high is not None else ""


def extras(param: Any, ctx: Any) -> tuple[str, list[str], str]:
    """``param``'s help without a trailing required condition; the bracketed notes that follow it (choices,
    default, range, environment variable); and its required note ("" when it is not required)."""
    text = inspect.cleandoc(getattr(param, "help", None) or "")
    required = "[required]" if param.required else ""
    condition = _REQUIRED_UNLESS.search(text)
    if condition:
        text, required = text[: condition.start()], condition.group(1)
    notes = []
    found = choices(param)
    if found:
        notes.append(f"[choices: {', '.join(found)}]")
    default = default_text(param, ctx)
    if default:
        notes.append(f"[default: {default}]")
    bounds = _range_text(param)
    if bounds:
        notes.append(f"[{bounds}]")
    envvar = getattr(param, "envvar", None)
    if envvar and getattr(param, "show_envvar", False):
        notes.append(f"[env var: {envvar if isinstance(envvar, str) else ', '.join(envvar)}]")
    if getattr(param, "deprecated", False):
        text = f"(deprecated) {text}"
    return text, notes, required


# ---------------------------------------------------------------- drawing


def _console() -> Console:
    from rich.console import Console

    width = os.environ.get("TERMINAL_WIDTH", "")
    forced: bool | None = any(os.environ.get(name) for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS")) or None
    if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        forced = False
    return Console(
        width=int(width) if width.isdigit() and int(width) > 0 else None,
        force_terminal=forced,
        highlight=False,
        markup=False,
        emoji=False,
    )


class _Draw:
    """The lines of one help screen, each at most ``width`` cells."""

    def __init__(self, console: Console) -> None:
        from rich.text import Text

        self.console = console
        self.width = max(console.width, 20)
        self.Text = Text
        self.lines: list[Text] = []
        self.ascii = not (console.encoding or "").lower().startswith("utf")

    def text(self, content: str = "", style: str = "") -> Text:
        return self.Text(content, style=style)

    def join(self, *parts: Text | str) -> Text:
        """The parts one after the other, each keeping its own style (``Text + Text`` would give the whole
        line the first part's style)."""
        out = self.Text()
        for part in parts:
            out.append(part)
        return out

    def wrap(self, text: Text, width: int) -> list[Text]:
        """``text`` wrapped at spaces to ``width`` (a word longer than that folded), trailing blanks dropped."""
        if not text.plain.strip():
            return [self.text()]
        lines = []
        for line in text.wrap(self.console, max(width, 1), overflow="fold"):
            line.rstrip()
            lines.append(line)
        return lines

    def inline(self, source: str, style: str = "") -> Text:
        """Markdown's inline ``code``, **bold** and backslash escapes, as styled text."""
        out = self.text(style=style)
        at = 0
        for match in _INLINE.finditer(source):
            out.append(source[at : match.start()])
            code, bold, escaped = match.groups()
            if code is not None:
                out.append(code, style=STYLES["code"])
            elif bold is not None:
                out.append(bold, style="bold")
            else:
                out.append(escaped)
            at = match.end()
        out.append(source[at:])
        return out

    def add(self, line: Text) -> None:
        self.lines.append(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1].plain.strip():
            self.lines.append(self.text())

    # ---------------------------------------------------------------- Markdown

    def markdown(self, source: str, first_style: str = "", rest_style: str = "") -> None:
        """A description or an epilog: paragraphs, lists and code blocks, one blank line between them."""
        source = inspect.cleandoc(source).partition("\f")[0]
        first = True
        previous = ""
        for kind, body in _blocks(source):
            if not (kind == previous == "item"):  # the items of a list stay together
                self.blank()
            previous = kind
            style = first_style if first else rest_style
            first = False
            if kind == "code":
                for line in body:
                    self.code(line)
            elif kind == "item":
                self.hanging(self.inline(" ".join(body), style), "  • ", "    ")
            else:
                self.hanging(self.inline(" ".join(body), style), " ", " ")

    def hanging(self, text: Text, first: str, rest: str) -> None:
        """``text`` wrapped after ``first`` on its first line and ``rest`` (as wide) on the others."""
        for index, line in enumerate(self.wrap(text, self.width - len(first) - 1)):
            self.add(self.join(first if index == 0 else rest, line))

    def code(self, line: str, margin: str = "  ") -> None:
        """A line of a code block: a command wrapped with `` \\`` continuations, anything else with a hanging
        indent under its second field."""
        line = line.rstrip()
        room = self.width - len(margin) - 1
        if len(line) <= room:
            self.add(self.text(margin + line))
        elif line.startswith((f"{PROG} ", f"$ {PROG} ")):
            for part in command_lines(line, room):
                self.add(self.text(margin + part))
        else:
            label = re.match(r"\S+\s+", line)
            hang = len(label.group()) if label and len(label.group()) <= room // 2 else 4
            head, rest = (line[:hang], line[hang:]) if label and hang == len(label.group()) else ("", line)
            for index, piece in enumerate(self.wrap(self.text(rest), room - hang)):
                lead = head.ljust(hang) if index == 0 and head else " " * (hang if index else 0)
                self.add(self.join(margin + lead, piece))

    # ---------------------------------------------------------------- panels

    def panel(self, title: str, rows: list[Text]) -> None:
        """``rows`` (each at most ``width - 4`` cells) in a box titled ``title``."""
        if not rows:
            return
        h, v, corners = ("-", "|", "++++") if self.ascii else ("─", "│", "╭╮╰╯")
        border = STYLES["border"]
        head = f"{corners[0]}{h} {title} "
        self.add(self.text(head + h * max(self.width - len(head) - 1, 0) + corners[1], border))
        for row in rows:
            row.rstrip()
            padding = " " * max(self.width - 4 - row.cell_len, 0)
            self.add(self.join(self.text(f"{v} ", border), row, padding, self.text(f" {v}", border)))
        self.add(self.text(corners[2] + h * (self.width - 2) + corners[3], border))


def _blocks(source: str) -> list[tuple[str, list[str]]]:
    """``source``'s Markdown blocks: ("para", lines), ("item", lines) of a list item, ("code", lines)."""
    blocks: list[tuple[str, list[str]]] = []
    lines = source.splitlines()
    index = 0
    current: tuple[str, list[str]] | None = None
    while index < len(lines):
        line = lines[index]
        index += 1
        fence = _FENCE.match(line)
        if fence:
            body = []
            while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
                body.append(lines[index])
                index += 1
            index += 1
            blocks.append(("code", body))
            current = None
        elif not line.strip():
            current = None
        elif _BULLET.match(line):
            current = ("item", [_BULLET.sub("", line)])
            blocks.append(current)
        elif current is not None:
            current[1].append(line.strip())
        else:
            current = ("para", [line.strip()])
            blocks.append(current)
    return blocks


def command_lines(command: str, room: int) -> list[str]:
    """``command`` in lines of at most ``room`` characters, each but the last ending in `` \\`` and each but the
    first indented by four spaces; an option stays with its value, a redirection with its file."""
    option = re.compile(r"-{1,2}[A-Za-z]")
    groups: list[str] = []
    for word in command.split():
        alone = groups[-1] if groups and " " not in groups[-1] else ""
        if alone in (">", ">>", "<", "|") or (option.match(alone) and not option.match(word)):
            groups[-1] += f" {word}"
        else:
            groups.append(word)
    lines: list[str] = []
    line = ""
    for group in groups:
        indent = "    " if lines else ""
        candidate = f"{line} {group}" if line else indent + group
        if line and len(candidate) + 2 > room:
            lines.append(f"{line} \\")
            line = "    " + group
        else:
            line = candidate
    lines.append(line)
    return lines


# ---------------------------------------------------------------- one screen


@dataclass
class _Row:
    required: bool
    names: Text
    metavar: str
    help: Text
    notes: list[Text]

    def lines(self, draw: _Draw, width: int) -> list[Text]:
        """The help, then each note after it on the same line where it fits, else on a line of its own: a note
        breaks only when it is wider than the column."""
        lines = draw.wrap(self.help, width) if self.help.plain else []
        for note in self.notes:
            if lines and lines[-1].cell_len + 2 + note.cell_len <= width:
                lines[-1] = draw.join(lines[-1], "  ", note)
            else:
                lines += draw.wrap(note, width)
        return lines or [draw.text()]


def _names(draw: _Draw, param: Any) -> Text:
    if is_argument(param):  # "FILE..." however the usage line brackets it
        return draw.text(f"{param.metavar or (param.name or '').upper()}{'...' * (param.nargs != 1)}", STYLES["long"])
    out = draw.text()
    for index, opt in enumerate(sorted(param.opts, key=lambda opt: not opt.startswith("--"))):
        out.append(", " if index else "")
        out.append(opt, STYLES["long"] if opt.startswith("--") else STYLES["short"])
    for index, opt in enumerate(getattr(param, "secondary_opts", ()) or ()):
        out.append(" / " if index == 0 else ", ")
        out.append(opt, STYLES["negative"])
    return out


def _row(draw: _Draw, param: Any, ctx: Any) -> _Row:
    text, notes, required = extras(param, ctx)
    marks = [draw.text(note, STYLES["extra"]) for note in notes]
    marks += [draw.text(required, STYLES["required_note"])] if required else []
    return _Row(bool(required), _names(draw, param), metavar(param), draw.inline(" ".join(text.split())), marks)


def _panels(command: Any, ctx: Any) -> list[tuple[str, list[Any]]]:
    """The panels of ``command``'s parameters in Typer's order: arguments first, then options, each panel
    where its first parameter is; hidden parameters left out."""
    arguments: dict[str, list[Any]] = {"Arguments": []}
    options: dict[str, list[Any]] = {"Options": []}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        into = arguments if is_argument(param) else options
        title = getattr(param, "rich_help_panel", None) or ("Arguments" if into is arguments else "Options")
        into.setdefault(title, []).append(param)
    return [(title, params) for title, params in [*arguments.items(), *options.items()] if params]


def _parameter_panels(draw: _Draw, command: Any, ctx: Any) -> None:
    panels = [(title, [_row(draw, p, ctx) for p in params]) for title, params in _panels(command, ctx)]
    rows = [row for _, panel in panels for row in panel]
    if not rows:
        return
    inner = draw.width - 4
    star = 2 if any(row.required for row in rows) else 0
    meta = max(len(row.metavar) for row in rows)
    meta_room = meta + 2 if meta else 0
    full = max(row.names.cell_len for row in rows)
    longest = max(len(word) for row in rows for word in row.names.plain.split())
    comfortable = max(MIN_HELP, inner * 9 // 20)  # the names wrap between aliases rather than squeeze the help
    names = full if inner - star - full - meta_room - 2 >= comfortable else longest
    room = inner - star - names - meta_room - 2
    stacked = room < MIN_HELP
    for title, panel in panels:
        lines: list[Text] = []
        for row in panel:
            mark = draw.join(draw.text("* " if row.required else "  ", STYLES["required"]) if star else "")
            if stacked:
                head = row.names.copy()
                if row.metavar:
                    head.append(f" {row.metavar}", STYLES["metavar"])
                for index, piece in enumerate(draw.wrap(head, inner - star)):
                    lines.append(draw.join(mark if index == 0 else " " * star, piece))
                for piece in row.lines(draw, inner - star - 4):
                    lines.append(draw.join(" " * (star + 4), piece))
                continue
            left = draw.wrap(row.names, names)
            right = row.lines(draw, room)
            for index in range(max(len(left), len(right))):
                cell = left[index] if index < len(left) else draw.text()
                line = draw.join(mark if index == 0 else " " * star, cell, " " * (names - cell.cell_len + 2))
                if meta_room:
                    line.append(row.metavar if index == 0 else "", STYLES["metavar"])
                    line.append(" " * (meta_room - (len(row.metavar) if index == 0 else 0)))
                if index < len(right):
                    line.append(right[index])
                lines.append(line)
        draw.panel(title, lines)


def _commands_panels(draw: _Draw, group: Any, ctx: Any) -> None:
    panels: dict[str, list[Any]] = {"Commands": []}
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            panels.setdefault(getattr(sub, "rich_help_panel", None) or "Commands", []).append((name, sub))
    entries = [entry for entries in panels.values() for entry in entries]
    if not entries:
        return
    inner = draw.width - 4
    width = max(len(name) for name, _ in entries)
    room = inner - width - 2
    for title, subs in panels.items():
        lines = []
        for name, sub in subs:
            summary = inspect.cleandoc(sub.short_help or sub.help or "").partition("\f")[0].split("\n\n")[0]
            text = draw.inline(" ".join(summary.split()))
            if sub.deprecated:
                text = draw.join("(deprecated) ", text)
            if room < MIN_HELP:
                lines.append(draw.text(name, STYLES["command"]))
                lines += [draw.join("    ", piece) for piece in draw.wrap(text, inner - 4)]
                continue
            for index, piece in enumerate(draw.wrap(text, room)):
                head = draw.text(name if index == 0 else "", STYLES["command"])
                lines.append(draw.join(head, " " * (width + 2 - head.cell_len), piece))
        draw.panel(title, lines)


def render(command: Any, ctx: Any) -> tuple[str, bool]:
    """``command``'s help screen for ``ctx`` as the terminal shows it, and whether it has colour in it."""
    console = _console()
    draw = _Draw(console)
    draw.add(draw.text())
    usage = " ".join(command.collect_usage_pieces(ctx))
    line = draw.text(f"{ctx.command_path} {usage}", STYLES["usage_line"])
    head = draw.join(draw.text("Usage: ", STYLES["usage"]), line)
    draw.hanging(head, " ", " " * (len("Usage: ") + 1))
    if command.help:
        draw.markdown(command.help, "", STYLES["rest"])
    draw.blank()
    _parameter_panels(draw, command, ctx)
    if isinstance(command, typer.core.TyperGroup):
        _commands_panels(draw, command, ctx)
    if command.epilog:
        draw.markdown(command.epilog)
    with console.capture() as captured:  # one print: each line already fits
        console.print(draw.text("\n").join(draw.lines), no_wrap=True, overflow="ignore", crop=False)
    colour = console.is_terminal and console.color_system is not None
    text = "\n".join(line.rstrip(" ") for line in captured.get().splitlines())
    return text + "\n", colour
