"""The question forms ``legkg ask`` understands, each answered by canned queries.

A form is a rule: it looks at the entities a question mentions and its question words, and
returns an :class:`Answer` (or None to let the next rule try). Question words are English, not
clinical knowledge: what the article says always comes from the graph.

Example:
    >>> from legkg.store.local import open_backend
    >>> a = Asker(open_backend(), "what are the symtoms of sciatica?")
    >>> a.q, [m.entity.label for m in a.mentions]
    ('what are the symptoms of sciatica', ['sciatica'])
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from legkg.answers.mentions import FUNCTION_WORDS, KIND_WORDS, Linker, Mention, tokens
from legkg.store.canned import run_canned
from legkg.store.local import Backend
from legkg.store.queries import load_query
from legkg.store.terms import TermIndex

# Words of questions themselves (not of the article's subject matter): what a form understands
# besides the ontology's own labels and synonyms. A question whose topic word is neither is
# about something the article does not cover.
QUESTION_WORDS = FUNCTION_WORDS | KIND_WORDS | {
    "am", "was", "were", "will", "did", "done", "go", "going", "now", "just", "still", "also", "very", "really",
    "this", "these", "those", "them", "they", "their", "its", "you", "we", "our", "he", "she", "her", "his",
    "happen", "happens", "happening", "mean", "means", "indicate", "indicates", "suggest", "sign", "kind", "kinds",
    "type", "types", "sort", "example", "examples", "list", "show", "tell", "explain", "define", "describe",
    "differ", "difference", "differences", "between", "versus", "vs", "compare", "same", "similar", "alike",
    "common", "commonly", "frequent", "less", "rarer", "rare", "sudden", "suddenly", "urgent", "urgently",
    "serious", "dangerous", "emergency", "red", "flag", "flags", "warning", "doctor", "see", "seek", "help",
    "affect", "affects", "affected", "affecting", "cause", "caused", "causing", "result", "results", "lead", "leads",
    "due", "because", "reason", "reasons", "worse", "worsen", "worsens", "worsened", "worsening", "better",
    "improve", "improves", "improved", "improving", "relieve", "relieves", "relieved",
    "ease", "eases", "treat", "treated", "treatment", "treatments", "manage", "managed",
    "options", "plan", "involve", "involves", "require", "requires", "need", "needs", "control", "controls",
    "cover", "covers", "located", "location", "found", "part", "parts", "body", "impair", "impairs", "hard",
    "difficult", "harder", "feel", "feels", "experience", "mechanism", "mechanisms", "work", "works",
    "process", "article", "say", "says", "mention", "mentions", "medical", "attention", "immediate", "get",
    "problem", "problems", "issue", "issues", "disease", "diseases", "disorder", "disorders", "illness",
    "should", "must", "ok", "okay", "if", "after", "before", "then", "up", "down", "out", "so", "not", "no",
    "cant", "wont", "dont", "isnt", "havent", "hasnt", "doesnt", "didnt", "arent", "ive", "im", "id", "ill",
    "whats", "hurt", "hurts", "like", "may", "might", "would", "could", "shall", "fast", "quickly", "weak",
    "lost", "lose", "losing", "came", "come", "comes", "went", "gone", "hour", "hours", "day", "days", "week",
    "weeks", "ago", "today", "yesterday", "morning", "night", "during", "while", "since", "when", "whenever",
    "start", "started", "starting", "stop", "stopped", "keep", "keeps", "kept", "much", "more", "most", "some",
    "any", "all", "every", "each", "other", "another", "one", "two", "both", "either", "neither", "than",
    "give", "gives", "giving", "gave", "got", "getting", "making", "made", "bring", "brings", "produce",
    "produces", "trigger", "triggers", "having", "feeling", "felt", "noticed", "notice", "think", "know",
    "possible", "possibly", "usually", "often", "sometimes", "typical", "typically", "main", "usual",
}


# Question words a misspelling is corrected to ("symtoms" is "symptoms").
FORM_WORDS = ["symptoms", "conditions", "causes", "treatment", "treated", "worse", "better", "mechanisms",
              "affect", "indicate", "urgent", "common", "sudden", "difference", "located"]


class Answer:
    """What was asked, how it was answered, and the rows."""

    def __init__(self, form: str, queries: list[str], columns: list[str], rows: list[dict],
                 mentions: list[Mention]) -> None:
        self.form, self.queries, self.columns, self.rows, self.mentions = form, queries, columns, rows, mentions
        self.not_in_article: list[str] = []  # words of the question the article never uses

    def sparql(self) -> str:
        """The text of every canned query that was run."""
        return "\n".join(f"# {name}.rq\n{load_query(name).text}" for name in self.queries)


FORMS = [
    "which conditions affect <anatomy> [and cause <symptom>]?",
    "what can cause <symptom>?",
    "what should I do with <symptom> / after <situation>?",
    "what are the symptoms of <condition>?",
    "what causes <condition>?",
    "what does <condition> cause?",
    "what does <sign> indicate?",
    "how urgent is <sign>?",
    "what are the red flags?",
    "which conditions are sudden / common / less common?",
    "what makes <condition> worse / better?",
    "which conditions are worse / better with <situation>?",
    "which conditions impair <activity>?",
    "how is <condition> treated?",
    "how do <condition> and <condition> differ?",
    "what is <term> a kind of?",
    "what kinds of <term> are there?",
    "where is <term>?",
    "what does <structure> do?",
    "what is <term>?",
]


class Asker:
    """One question: its entity mentions and its words, with spelling of question words mended."""

    def __init__(self, backend: Backend, question: str) -> None:
        self.backend = backend
        self.index = TermIndex.load(backend)
        self.mentions = Linker(self.index).link(question)
        self.words = tokens(question)  # as written; self.q has misspelt question words mended
        vocabulary = self.vocabulary()
        self.q = " ".join(w if w in QUESTION_WORDS or w in vocabulary or len(w) < 5 else close_word(w, FORM_WORDS)
                          for w in self.words)

    def vocabulary(self) -> set[str]:
        """Every word of the ontology's labels and synonyms."""
        if not hasattr(self, "_vocabulary"):
            from legkg.store.canned import relation_labels

            names = [n for e in self.index.entities.values() for n in (e.label, *e.synonyms)]
            names += [n for pair in relation_labels(self.backend).values() for n in pair]  # "aggravated by", ...
            self._vocabulary = {w for name in names for w in tokens(name)}
            self._vocabulary |= {w[:-1] for w in self._vocabulary if w.endswith("d")}  # aggravated: aggravate(s)
            self._vocabulary |= {w + "s" for w in self._vocabulary}
        return self._vocabulary

    def of(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity.kind in kinds]

    def first(self, *kinds: str) -> Mention | None:
        found = self.of(*kinds)
        return found[0] if found else None

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.q) is not None

    def canned(self, form: str, name: str, param: str, mention: Mention, *, keep: Callable[[dict], bool] | None = None,
               mentions: list[Mention] | None = None) -> Answer:
        columns, rows = run_canned(self.backend, name, [(param, mention.entity.id)], self.index)
        if keep is not None:
            rows = [r for r in rows if keep(r)]
        return Answer(form, [name], columns, rows, self.mentions if mentions is None else mentions)


def close_word(word: str, vocabulary: list[str]) -> str:
    """The question word a misspelt word most likely means, or the word itself.

    Example:
        >>> close_word("symtoms", ["symptoms", "causes"])
        'symptoms'
    """
    found = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.85)
    return found[0] if found else word


Rule = Callable[[Asker], "Answer | None"]
