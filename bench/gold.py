"""Score legkg's triage and ask against the gold tables in tests/data/ (written from the article).

Shared by ``bench/bench_triage.py``, ``bench/bench_ask.py`` and the tests that assert their goals.
Gold names are matched to answers by the entity they resolve to (label or synonym) or, when a
name resolves to nothing, by its normalised text, so a gold answer the ontology lacks is simply
missed, never dropped.

Example:
    >>> from legkg.store.local import open_backend
    >>> backend = open_backend()
    >>> scores = score_triage(read("triage-vignettes.tsv"), backend, run_triage_library(backend))
    >>> scores["total"]
    80
"""

from __future__ import annotations

import contextlib
import csv
import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
LEVELS = ["seek medical guidance", "consult a healthcare professional", "urgent evaluation",
          "immediate medical attention"]  # lowest first; the first is the article's floor (31.1)
OUT = "out-of-scope"


def read(name: str) -> list[dict[str, str]]:
    """Rows of one gold table in tests/data/."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def split(cell: str, sep: str = ";") -> list[str]:
    """The non-empty, stripped items of a ``;``-separated cell."""
    return [x.strip() for x in cell.split(sep) if x.strip()]


class Names:
    """Match gold names and answer items by the entity they resolve to, else by normalised text."""

    def __init__(self, backend: Any) -> None:
        from legkg.store.terms import TermIndex, normalise

        self.index, self.normalise = TermIndex.load(backend), normalise
        self._cache: dict[str, frozenset[str]] = {}

    def keys(self, name: str) -> frozenset[str]:
        """Keys under which ``name`` matches: its IRI when it resolves, and its normalised text."""
        if name not in self._cache:
            from legkg.core.errors import LegkgError

            found = {"text:" + self.normalise(name)}
            with contextlib.suppress(LegkgError):
                found.add(self.index.resolve(name).iri)
            self._cache[name] = frozenset(found)
        return self._cache[name]

    def item_keys(self, item_id: str | None, label: str | None) -> frozenset[str]:
        """Keys of one answer item given its id (CURIE or IRI) and label."""
        found: set[str] = set()
        if label:
            found.add("text:" + self.normalise(label))
        if item_id:
            entity = self.index.get(item_id) or self._by_curie(item_id)
            if entity is not None:
                found |= {entity.iri, "text:" + self.normalise(entity.label)}
        return frozenset(found)

    def _by_curie(self, curie: str) -> Any:
        from legkg.core.prefixes import expand

        try:
            return self.index.get(expand(curie))
        except Exception:  # anything that is not a CURIE simply does not match
            return None


# ---------------------------------------------------------------- triage

def triage_level_rank(names: Names, level: str | None, level_id: str | None) -> int:
    """Position of a predicted level in LEVELS (-1: below the floor or unknown)."""
    keys = names.item_keys(level_id, level)
    for i, gold in enumerate(LEVELS):
        if keys & names.keys(gold):
            return i
    return -1


def run_triage_library(backend: Any) -> Callable[[dict[str, str]], dict]:
    """A runner calling the triage library function in process."""
    from legkg.answers.triage import triage
    from legkg.core.errors import LegkgError

    def run(row: dict[str, str]) -> dict:
        try:
            return {"answer": triage(backend, split(row["symptoms"]), split(row["situations"]))}
        except LegkgError as e:
            return {"refused": str(e)}
    return run


def run_triage_process(legkg: str) -> Callable[[dict[str, str]], dict]:
    """A runner starting ``legkg triage ... --format json`` as a whole process per vignette."""
    def run(row: dict[str, str]) -> dict:
        argv = [legkg, "triage", "--format", "json"]
        argv += [a for s in split(row["symptoms"]) for a in ("-s", s)]
        argv += [a for s in split(row["situations"]) for a in ("-t", s)]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return {"refused": (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:]}
        return {"answer": json.loads(done.stdout)}
    return run


def score_triage(rows: list[dict[str, str]], backend: Any, run: Callable[[dict[str, str]], dict]) -> dict:
    """Run every vignette and count correct levels, under- and over-triage, and correct lead conditions."""
    names = Names(backend)
    cases = []
    for row in rows:
        out = run(row)
        expected = row["expected_level"]
        answer = out.get("answer")
        if answer is None:
            predicted, rank = OUT, None
        else:
            rank = triage_level_rank(names, answer.get("level"), answer.get("level_id"))
            predicted = LEVELS[rank] if rank >= 0 else f"below the floor: {answer.get('level')}"
        if expected == OUT:
            verdict = "correct" if answer is None else "answered out of scope"
        elif answer is None or rank is None or rank < LEVELS.index(expected):
            verdict = "under-triage"
        elif rank > LEVELS.index(expected):
            verdict = "over-triage"
        else:
            verdict = "correct"
        lead = _lead(names, row, answer)
        cases.append({"id": row["id"], "expected": expected, "predicted": predicted, "verdict": verdict,
                      "lead": lead, "refused": out.get("refused")})
    in_scope = [c for c in cases if c["expected"] != OUT]
    urgent = [c for c in cases if c["expected"] in LEVELS[2:]]
    leads = [c for c in cases if c["lead"] is not None]
    return {
        "cases": cases,
        "total": len(cases),
        "correct": sum(c["verdict"] == "correct" for c in cases),
        "correct_pct": 100.0 * sum(c["verdict"] == "correct" for c in cases) / len(cases),
        "under": sum(c["verdict"] == "under-triage" for c in cases),
        "over": sum(c["verdict"] == "over-triage" for c in cases),
        "answered_out_of_scope": sum(c["verdict"] == "answered out of scope" for c in cases),
        "in_scope": len(in_scope),
        "urgent_correct_pct": 100.0 * sum(c["verdict"] == "correct" for c in urgent) / max(len(urgent), 1),
        "urgent": len(urgent),
        "lead_correct": sum(bool(c["lead"]) for c in leads),
        "lead_total": len(leads),
    }


def _lead(names: Names, row: dict[str, str], answer: dict | None) -> bool | None:
    """Whether the first condition named is one of the expected leads (None: no lead expected)."""
    wanted = split(row.get("expected_lead", ""), "|")
    if not wanted:
        return None
    conditions = (answer or {}).get("conditions") or []
    if not conditions:
        return False
    first = names.item_keys(conditions[0].get("id"), conditions[0].get("label"))
    return any(first & names.keys(w) for w in wanted)


# ---------------------------------------------------------------- ask

def run_ask_library(backend: Any) -> Callable[[str], dict]:
    """A runner calling the ask library function in process."""
    from legkg.answers.ask import ask
    from legkg.core.errors import LegkgError

    def run(question: str) -> dict:
        try:
            answer = ask(backend, question)
        except LegkgError as e:
            return {"refused": str(e)}
        return {"rows": answer.rows, "columns": answer.columns,
                "mentions": [m.entity.iri for m in answer.mentions]}
    return run


def run_ask_process(legkg: str) -> Callable[[str], dict]:
    """A runner starting ``legkg ask QUESTION --format json`` as a whole process per question."""
    def run(question: str) -> dict:
        done = subprocess.run([legkg, "ask", question, "--format", "json"], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            return {"refused": done.stderr.strip()}
        rows = json.loads(done.stdout or "[]")
        return {"rows": rows, "columns": list(rows[0]) if rows else [], "mentions": []}
    return run


def answer_items(out: dict) -> list[tuple[str | None, str | None]]:
    """The entity each answer row gives: its ``id`` (or first ``*_id`` column) and label."""
    items = []
    for row in out.get("rows", []):
        key = "id" if "id" in row else next((c for c in out.get("columns", []) if c.endswith("_id")), None)
        label_key = "label" if key == "id" else (key[:-3] if key else None)
        item = (row.get(key) if key else None, row.get(label_key) if label_key else None)
        if item not in items:
            items.append(item)
    return items


def score_ask(rows: list[dict[str, str]], backend: Any, run: Callable[[str], dict]) -> dict:
    """Macro precision, recall and F1 on in-scope questions; refusals on out-of-scope ones."""
    names = Names(backend)
    cases = []
    for row in rows:
        out = run(row["question"])
        refused = "refused" in out
        mentioned = set(out.get("mentions", []))
        items = [names.item_keys(i, label) for i, label in answer_items(out)]
        items = [k for k in items if not (k & mentioned)]  # the question's own terms are not answers
        case: dict[str, Any] = {"id": row["id"], "question": row["question"], "category": row["category"],
                                "refused": refused, "answers": len(items)}
        if row["category"] == OUT:
            case["verdict"] = ("refused" if refused else "confident wrong answer" if items
                               else "answered with nothing")
        else:
            gold = [names.keys(g) for g in split(row["answers"])]
            allowed = gold + [names.keys(g) for g in split(row.get("also_ok", ""))]
            hits = sum(any(k & g for k in items) for g in gold)
            right = sum(any(k & a for a in allowed) for k in items)
            p = right / len(items) if items else 0.0
            r = hits / len(gold) if gold else 0.0
            case.update(precision=p, recall=r, f1=2 * p * r / (p + r) if p + r else 0.0,
                        missed=[g for g in split(row["answers"]) if not any(k & names.keys(g) for k in items)],
                        extra=[_label(names, k) for k in items if not any(k & a for a in allowed)])
        cases.append(case)
    ins = [c for c in cases if c["category"] != OUT]
    outs = [c for c in cases if c["category"] == OUT]
    macro_p = _mean(c["precision"] for c in ins)
    macro_r = _mean(c["recall"] for c in ins)
    return {
        "cases": cases,
        "total": len(cases),
        "in_scope": len(ins),
        "out_of_scope": len(outs),
        "precision": macro_p,
        "recall": macro_r,
        "f1": _mean(c["f1"] for c in ins),
        "f1_of_means": 2 * macro_p * macro_r / (macro_p + macro_r) if macro_p + macro_r else 0.0,
        "refusal_rate": _mean(c["verdict"] == "refused" for c in outs),
        "confident_wrong": sum(c["verdict"] == "confident wrong answer" for c in outs),
        "in_scope_refused": sum(c["refused"] for c in ins),
    }


def _label(names: Names, keys: frozenset[str]) -> str:
    text = sorted(k[5:] for k in keys if k.startswith("text:"))
    return text[0] if text else sorted(keys)[0]


def _mean(values: Iterable[float | bool]) -> float:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else 0.0


def default_legkg() -> str:
    """The ``legkg`` command beside this Python."""
    return str(Path(sys.executable).parent / "legkg")


def bench_main(argv: list[str] | None, doc: str, item: str, table: str, runners: tuple[Callable, Callable],
               score: Callable, report: Callable[[dict, str], str]) -> int:
    """The command line both benchmarks share: run the gold set, print the report, optionally write it.

    ``runners`` is (process runner factory, library runner factory); ``score`` scores the rows.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--process", action="store_true", help=f"run the legkg command once per {item}")
    parser.add_argument("--legkg", default=default_legkg(), help="the legkg command for --process")
    parser.add_argument("--write", type=Path, help="write the Markdown report here")
    args = parser.parse_args(argv)
    from legkg.store.local import open_backend

    backend = open_backend()
    run = runners[0](args.legkg) if args.process else runners[1](backend)
    text = report(score(read(table), backend, run), "whole processes" if args.process else "library")
    if args.write:
        from legkg.store.files import atomic_write

        atomic_write(args.write, text.encode("utf-8"))
    print(text, end="")
    return 0
