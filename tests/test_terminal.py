"""Output for people: tables wrap at word boundaries without splitting ids, urgency colours only on
a terminal without NO_COLOR, sentences shown once and indented, completion quotes multi-word terms."""

from __future__ import annotations

import io
import re

import pytest

from legkg.cli.fast import quote_for_shell
from legkg.cli.writers import paint, write_describe_table, write_rich_table


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


ROWS = [{"id": "legkg:PiriformisSyndrome", "label": "piriformis syndrome",
         "source": "Piriformis syndrome occurs when the piriformis muscle, deep in the buttock, irritates the "
                   "sciatic nerve.", "urgency": "legkg:UrgentEvaluation", "rank": 3}]


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_rich_table_never_splits_ids_or_words(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    write_rich_table(ROWS, ["id", "label", "source"], out)
    text = out.getvalue()
    assert "legkg:PiriformisSyndrome" in text, text
    assert max(len(line) for line in text.splitlines()) <= columns, text
    words = set(re.findall(r"[a-z]+", ROWS[0]["source"].lower()))
    shown = set(re.findall(r"[a-z]+", text.lower()))
    assert words <= shown, words - shown  # no word was cut in two


def test_urgency_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in paint("Urgency: urgent evaluation", 3, Terminal())
    assert paint("Urgency: urgent evaluation", 3, io.StringIO()) == "Urgency: urgent evaluation"
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("Urgency: urgent evaluation", 3, Terminal()) == "Urgency: urgent evaluation"


def test_red_flag_rows_coloured_in_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    write_rich_table(ROWS, ["id", "label", "rank"], out)
    assert "\x1b[31m" in out.getvalue() or "\x1b[1;31m" in out.getvalue(), repr(out.getvalue())


def test_describe_lists_each_sentence_once() -> None:
    sentence = "Sciatica, a common condition, involves irritation or compression of the sciatic nerve."
    base = {"id": "legkg:Sciatica", "label": "sciatica", "value_id": None, "source": None}
    rows = [dict(base, field="kind", direction="", value="condition"),
            dict(base, field="article sentence", direction="", value=sentence)]
    for target in ("SciaticNerve", "NerveCompression", "Common"):
        rows.append(dict(base, field="affects", direction="out", value=target.lower(), value_id=f"legkg:{target}",
                         source=sentence))
    out = io.StringIO()
    write_describe_table(rows, out)
    text = out.getvalue()
    assert " ".join(text.split()).count(sentence) == 1, text
    assert "[1]" in text and all(len(line) <= 80 for line in text.splitlines()), text
    continuation = [line for line in text.splitlines() if line.startswith("      ") and "[1]" not in line]
    assert continuation, text  # the wrapped sentence is indented under its number


@pytest.mark.parametrize(("label", "incomplete", "shell", "inserted"), [
    ("greater trochanter", "trochan", "bash", "'greater trochanter'"),
    ("sciatica", "sci", "bash", "sciatica"),
    ("greater trochanter", "'great", "bash", "greater trochanter"),
    ("greater trochanter", "trochan", "zsh", "greater trochanter"),
    ("loss of bowel or bladder control", "", "bash", "'loss of bowel or bladder control'"),
])
def test_completion_quotes_multi_word_terms_for_bash(label: str, incomplete: str, shell: str, inserted: str) -> None:
    assert quote_for_shell(label, incomplete, shell) == inserted


def test_completion_offers_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from legkg.cli.main import cli

    env = {"_LEGKG_COMPLETE": "bash_complete", "COMP_WORDS": "legkg describe piriformis", "COMP_CWORD": "2"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="legkg")
    assert "'piriformis syndrome'" in result.output and "'piriformis muscle'" in result.output, result.output


def test_terms_read_only_the_term_index() -> None:
    """Once the cache is warm, listing terms (as completion does) never parses the store."""
    from legkg.answers.lookup import list_terms
    from legkg.store.local import open_backend

    list_terms(open_backend(), "numb")  # warms the cache
    backend = open_backend()
    assert "numbness" in {r["label"] for r in list_terms(backend, "numb")}
    assert backend._store is None, "the store was parsed to list terms"
