"""Output writers, one per ``--format`` name.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> WRITERS["csv"]([{"id": "legkg:Sciatica", "label": "sciatica"}], ["id", "label"], out)
    >>> out.getvalue().splitlines()
    ['id,label', 'legkg:Sciatica,sciatica']
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from typing import TextIO

Writer = Callable[[Sequence[dict], Sequence[str], TextIO], None]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""Text safe for a terminal: control characters (escape sequences too) shown as ``\xNN``.

    Example:
        >>> printable("sciatica\x1b]0;title\x07")
        'sciatica\\x1b]0;title\\x07'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                        text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    return printable(" ".join(str(value).split()))


def write_json(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    """A JSON array of objects, one per row."""
    json.dump([{c: r.get(c) for c in columns} for r in rows], out, indent=2, ensure_ascii=False)
    out.write("\n")


def _delimited(delimiter: str) -> Writer:
    def write(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
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


def write_describe_table(rows: Sequence[dict], out: TextIO) -> None:
    """Readable text for ``describe``: a heading, the entity's annotations, then its relations."""
    if not rows:
        return
    head = rows[0]
    out.write(f"{_cell(head['label'])} ({_cell(head['id'])})\n")
    facts = []
    for r in rows:
        if r["direction"]:
            facts.append(r)
        else:
            out.write(f"  {r['field']}: {_cell(r['value'])}\n")
    if facts:
        out.write("relations:\n")
        def said(f: dict) -> str:  # "can: has symptom"; universal facts need no word
            return f"{f['modality']}: {f['field']}" if f.get("modality") not in (None, "always") else f["field"]

        width = max(len(said(f)) for f in facts)
        for f in facts:
            out.write(f"  {said(f).ljust(width)}  {_cell(f['value'])} ({_cell(f['value_id'])})\n")
            if f["source"]:
                prefix = "" if str(f["source"]).startswith("background:") else "article: "
                out.write(f"  {' ' * width}    {prefix}{_cell(f['source'])}\n")


def write_rich_table(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    """A table drawn with rich for a terminal; colour follows NO_COLOR and the terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold", caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(Text(_cell(r.get(c))) for c in columns))  # Text: no rich markup in data
    Console(file=out).print(table)
