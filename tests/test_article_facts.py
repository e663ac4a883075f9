"""Every fact the article states is in the graph, with its strength and its sentence.

One test per row of tests/data/article-facts.tsv (written from the article, never from the
ontology): the library's describe API must show the relation from the subject to the object,
with the article's modality (can, often, commonly, ...) and citing the row's sentence.

Example:
    pytest tests/test_article_facts.py -k 17.2
"""

from __future__ import annotations

import pytest
from factcheck import Checker, fact_rows, problems

ROWS = fact_rows()


@pytest.fixture(scope="module")
def checker() -> Checker:
    from legkg.store.local import open_backend

    return Checker(open_backend())


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_article_fact(checker: Checker, row: dict[str, str]) -> None:
    fact = f"{row['id']}: {row['subject']} {row['relation']} {row['object']} ({row['modality']})"
    found = problems(checker, row)
    assert not found, f"{fact}: {'; '.join(found)}"
