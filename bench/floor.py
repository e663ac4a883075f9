"""The floor for a command: import the engine, load the same cached data, run the same query; no CLI.

``floor.py store QUERY-NAME [NAME VALUE ...]`` parses the derived store legkg cached and runs a
canned query with the parameters bound as IRIs; ``floor.py terms`` reads only the cached term
index. Run by bench/bench_commands.py after legkg has filled the cache.

Example:
    python bench/floor.py store conditions-by-anatomy-and-symptom anatomy SciaticNerve symptom Numbness
"""

import json
import os
import sys
from pathlib import Path

cache = Path(os.environ["LEGKG_CACHE_DIR"])
if sys.argv[1] == "terms":
    import marshal

    [index] = [p for p in cache.glob("*.terms.*.marshal")]
    data = index.read_bytes()
    entities = marshal.loads(data[:data.rfind(b"# legkg: end of term index")])[0]
    rows = [e for e in entities if "numb" in e[1]]
    print(json.dumps(rows))
    sys.exit(0)

import pyoxigraph as ox  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
[dump] = [p for p in cache.glob("*.nt")]
store = ox.Store()
store.load(dump.read_bytes(), format=ox.RdfFormat.N_TRIPLES, lenient=True)
inferred = ROOT / "ontology" / "inferred" / "legkg-inferred.nq"
store.load(inferred.read_bytes(), format=ox.RdfFormat.N_QUADS, lenient=True)
text = (ROOT / "queries" / f"{sys.argv[2]}.rq").read_text(encoding="utf-8")
pairs = sys.argv[3:]
values = " ".join(f"VALUES ?{k} {{ <https://w3id.org/legkg/{v}> }}" for k, v in zip(pairs[::2], pairs[1::2]))
head, _, body = text.partition("WHERE {")
query = f"{head}WHERE {{ {values} {body}"

rows = list(store.query(query))
print(len(rows))
