"""Question benchmark for ``legkg ask`` over tests/data/ask-questions.tsv, in the QALD style.

Reports macro precision, recall and F1 over the in-scope questions (an answer item counts as
right when it is a gold answer or one of the row's ``also_ok`` answers; recall counts only gold
answers), the share of out-of-scope questions refused, and confident wrong answers (rows given to
an out-of-scope question). Runs through the library by default; ``--process`` starts the
installed ``legkg`` once per question instead.

Example:
    python bench/bench_ask.py --write bench/ask-results.md
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gold  # noqa: E402

GOALS = "F1 at least 0.95, at least 98% of out-of-scope questions refused, 0 confident wrong answers"


def report(scores: dict, mode: str) -> str:
    """The results as Markdown."""
    lines = [
        "# Question benchmark (ask)",
        "",
        f"Written by `bench/bench_ask.py` ({mode}) from `tests/data/ask-questions.tsv`. Goal: {GOALS}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| questions | {scores['total']} ({scores['in_scope']} in scope, {scores['out_of_scope']} out of scope) |",
        f"| macro precision | {scores['precision']:.3f} |",
        f"| macro recall | {scores['recall']:.3f} |",
        f"| macro F1 (mean per question) | {scores['f1']:.3f} |",
        f"| F1 of macro precision and recall | {scores['f1_of_means']:.3f} |",
        f"| in-scope questions refused | {scores['in_scope_refused']} |",
        f"| out-of-scope questions refused | {100 * scores['refusal_rate']:.1f}% |",
        f"| confident wrong answers out of scope | {scores['confident_wrong']} |",
        "",
        "In-scope questions below F1 1.0:",
        "",
        "| id | question | F1 | missed | not supported by the article |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in scores["cases"]:
        if c["category"] != gold.OUT and c["f1"] < 1.0:
            lines.append(f"| {c['id']} | {c['question']} | {c['f1']:.2f} | {'; '.join(c['missed'])} | "
                         f"{'; '.join(c['extra'])} |")
    lines += ["", "Out-of-scope questions not refused:", "", "| id | question | verdict |", "| --- | --- | --- |"]
    lines += [f"| {c['id']} | {c['question']} | {c['verdict']} |" for c in scores["cases"]
              if c["category"] == gold.OUT and c["verdict"] != "refused"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return gold.bench_main(argv, __doc__, "question", "ask-questions.tsv",
                           (gold.run_ask_process, gold.run_ask_library), gold.score_ask, report)


if __name__ == "__main__":
    sys.exit(main())
