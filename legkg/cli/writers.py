"""Output writers, one per ``--format`` name.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> WRITERS["csv"]([{"id": "legkg:Sciatica", "label": "sciatica"}], ["id", "label"], out)
    >>> out.getvalue().splitlines()
    ['id,label', 'legkg:Sciatica,sciatica']
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False  # typing is not imported: the start-up path stays light
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    Writer = Callable[[Sequence[dict], Sequence[str], TextIO], None]


_CONTROL = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"  # compiled on first use


def printable(text: str) -> str:
    r"""Text safe for a terminal: control characters (escape sequences too) shown as ``\xNN``.

    Example:
        >>> printable("sciatica\x1b]0;title\x07")
        'sciatica\\x1b]0;title\\x07'
    """
    return re.sub(_CONTROL, lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                  else f"\\u{ord(m.group()):04x}", text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    return printable(" ".join(str(value).split()))


def write_json(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    """A JSON array of objects, one per row."""
    import json

    json.dump([{c: r.get(c) for c in columns} for r in rows], out, indent=2, ensure_ascii=False)
    out.write("\n")


def _delimited(delimiter: str) -> Writer:
    def write(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
        import csv

        w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])

    write.__doc__ = f"Delimited text ({'tab' if delimiter == chr(9) else 'comma'}-separated) with a header."
    return write


def write_table(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    """An aligned plain-text table for people, with a row count."""
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()
    out.write(line + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


WRITERS: dict[str, Writer] = {
    "table": write_table,
    "json": write_json,
    "csv": _delimited(","),
    "tsv": _delimited("\t"),
}


URGENCY_STYLES = {4: "bold red", 3: "red", 2: "yellow", 1: "green"}  # by urgency rank, higher is more urgent
_ID = r"^[A-Za-z][\w.-]*:\S+$"  # compiled when a rich table is drawn, not on every run


def colour(out: TextIO) -> bool:
    """Whether to colour: only on a terminal, and never when NO_COLOR is set."""
    return bool(getattr(out, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def urgency_style(rank: object) -> str | None:
    """The colour of an urgency rank (``4`` -> ``'bold red'``), None for anything else."""
    return URGENCY_STYLES.get(rank) if isinstance(rank, int) else None


def paint(text: str, rank: object, out: TextIO) -> str:
    """Text coloured by an urgency rank on a terminal, plain otherwise (NO_COLOR, pipes, files)."""
    style = urgency_style(rank)
    if not style or not colour(out):
        return text
    codes = {"bold": "1", "red": "31", "yellow": "33", "green": "32"}
    return f"\x1b[{';'.join(codes[s] for s in style.split())}m{text}\x1b[0m"


def width(out: TextIO) -> int:
    """The terminal's width, or 80 when writing to a file or a pipe."""
    if getattr(out, "isatty", lambda: False)():
        import shutil

        return max(40, shutil.get_terminal_size((80, 24)).columns)
    return 80


def wrap(text: str, indent: str, cols: int, hang: int = 0) -> str:
    """Wrap text at word boundaries, every line indented (``hang`` more after the first); ids never split."""
    import textwrap

    return textwrap.fill(_cell(text), cols, initial_indent=indent, subsequent_indent=indent + " " * hang,
                         break_long_words=False, break_on_hyphens=False)


def write_describe_table(rows: Sequence[dict], out: TextIO) -> None:
    """Readable text for ``describe``: a heading, annotations (codes among them), relations, then each source once."""
    import textwrap

    if not rows:
        return
    cols = width(out)
    head = rows[0]
    out.write(f"{_cell(head['label'])} ({_cell(head['id'])})\n")
    facts, sources, stated = [], {}, []
    for r in rows:
        if r["direction"]:
            facts.append(r)
        elif r["field"] == "article sentence":  # listed once, under sources
            stated.append(sources.setdefault(_cell(r["value"]), len(sources) + 1))
        else:
            out.write(wrap(f"{r['field']}: {_cell(r['value'])}", "  ", cols, hang=2) + "\n")
    if stated:
        out.write(f"  stated in: {' '.join(f'[{n}]' for n in stated)}\n")
    if facts:
        out.write("relations:\n")
        def said(f: dict) -> str:  # "can: has symptom"; universal facts need no word
            return f"{f['modality']}: {f['field']}" if f.get("modality") not in (None, "always") else f["field"]

        field_width = max(len(said(f)) for f in facts)
        for f in facts:
            note = ""
            if f["source"]:
                n = sources.setdefault(_cell(f["source"]), len(sources) + 1)
                note = f" [{n}]"
            line = f"  {said(f).ljust(field_width)}  {_cell(f['value'])} ({_cell(f['value_id'])}){note}"
            out.write(textwrap.fill(line, cols, subsequent_indent=" " * (field_width + 6), break_long_words=False,
                                    break_on_hyphens=False) + "\n")
    if sources:
        out.write("sources:\n")
        for text, n in sources.items():
            prefix = "" if text.startswith("background:") else "article: "
            marker = f"  [{n}] "
            wrapped = textwrap.fill(prefix + text, cols, initial_indent=marker,
                                    subsequent_indent=" " * len(marker), break_long_words=False,
                                    break_on_hyphens=False)
            out.write(wrapped + "\n")


def write_rich_table(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    """A table drawn with rich for a terminal: cells wrap at word boundaries, ids never split,
    rows with an urgency rank coloured; colour follows NO_COLOR and the terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold", caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    for c in columns:
        values = [_cell(r.get(c)) for r in rows]
        if values and all(not v or re.match(_ID, v) for v in values):
            table.add_column(c, no_wrap=True, min_width=max(len(c), *(len(v) for v in values)))
        else:
            table.add_column(c, overflow="fold")
    for r in rows:
        style = urgency_style(r.get("rank")) if any(k in r for k in ("urgency", "urgency_label", "level")) else None
        table.add_row(*(Text(_cell(r.get(c))) for c in columns), style=style)  # Text: no rich markup in data
    Console(file=out, color_system="auto" if colour(out) else None, width=width(out)).print(table)
