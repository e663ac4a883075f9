"""Triage vignette benchmark: run ``legkg triage`` on every vignette of tests/data/triage-vignettes.tsv.

Scored the way published symptom-checker evaluations are (Semigran et al., BMJ 2015): the share
of vignettes given the level the article supports, and how many were under-triaged (a lower
level, or no answer, where the article gives one) or over-triaged. Vignettes the article does not
cover must get no level. Runs through the library by default; ``--process`` starts the installed
``legkg`` once per vignette instead.

Example:
    python bench/bench_triage.py --write bench/triage-results.md
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gold  # noqa: E402

GOALS = "0 under-triage, at least 95% correct"


def report(scores: dict, mode: str) -> str:
    """The results as Markdown."""
    lines = [
        "# Triage vignette benchmark",
        "",
        f"Written by `bench/bench_triage.py` ({mode}) from `tests/data/triage-vignettes.tsv`. Goal: {GOALS}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| vignettes | {scores['total']} ({scores['in_scope']} in the article's scope) |",
        f"| correct level | {scores['correct']} ({scores['correct_pct']:.1f}%) |",
        f"| under-triage | {scores['under']} |",
        f"| over-triage | {scores['over']} |",
        f"| level given to a case the article does not cover | {scores['answered_out_of_scope']} |",
        f"| correct on immediate / urgent vignettes | {scores['urgent_correct_pct']:.1f}% of {scores['urgent']} |",
        f"| expected condition ranked first | {scores['lead_correct']} of {scores['lead_total']} |",
        "",
        "Wrong levels:",
        "",
        "| id | expected | given | verdict |",
        "| --- | --- | --- | --- |",
    ]
    wrong = [c for c in scores["cases"] if c["verdict"] != "correct"]
    lines += [f"| {c['id']} | {c['expected']} | {c['predicted']} | {c['verdict']} |" for c in wrong] or ["| - | | | |"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return gold.bench_main(argv, __doc__, "vignette", "triage-vignettes.tsv",
                           (gold.run_triage_process, gold.run_triage_library), gold.score_triage, report)


if __name__ == "__main__":
    sys.exit(main())
