"""Mappings of legkg terms to medical vocabularies, kept in one SSSOM file.

``ontology/mappings/legkg.sssom.tsv`` is the source. ``sync_ontology`` mirrors it into
the ontology as annotations Protégé shows (``skos:exactMatch`` and the other SKOS
mapping properties with the code's IRI, plus ``oboInOwl:hasDbXref`` with its CURIE);
``check_ontology`` says whether the two agree.

Example:
    >>> [m.object_id for m in select(load_mappings(), "ICD10CM") if m.subject_id == "legkg:Sciatica"]
    ['ICD10CM:M54.30']
    >>> [m.predicate_id for m in select(load_mappings(), "ICD10CM") if m.subject_id == "legkg:Sciatica"]
    ['skos:narrowMatch']
    >>> verhoeff_valid("24700007")
    True
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from legkg.core.errors import LegkgError, Misuse
from legkg.core.prefixes import LEGKG, PREFIXES, curie
from legkg.core.resources import ontology_path
from legkg.store.codes import ALIASES, MATCHES, VOCABULARIES, Vocabulary

COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "object_source_version", "curation_rule_text", "comment"]
SKOS = PREFIXES["skos"]
DBXREF = PREFIXES["oboInOwl"] + "hasDbXref"


@dataclass(frozen=True)
class Mapping:
    """One SSSOM row."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    object_source_version: str = ""
    curation_rule_text: str = ""
    comment: str = ""

    @property
    def vocabulary(self) -> str:
        return self.object_id.split(":", 1)[0]

    def row(self) -> dict:
        return asdict(self)


def sssom_path() -> Path:
    """The SSSOM file beside the source ontology."""
    return ontology_path().parent / "mappings" / "legkg.sssom.tsv"


def edit_path() -> Path:
    """The source ontology the mappings are mirrored into."""
    return ontology_path()


def vocabulary(name: str) -> Vocabulary:
    """A vocabulary by prefix or common name (``hpo``, ``ICD-10-CM``), case-insensitively."""
    key = ALIASES.get(name, ALIASES.get(name.upper(), name.upper()))
    if key not in VOCABULARIES:
        raise Misuse(f"unknown vocabulary {name!r}; use one of {', '.join(VOCABULARIES)}")
    return VOCABULARIES[key]


def split_sssom(text: str) -> tuple[str, str]:
    """The YAML metadata header (``#`` lines) and the TSV body of an SSSOM file."""
    lines = text.splitlines(keepends=True)
    n = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(lines[:n]), "".join(lines[n:])


def load_mappings(path: Path | None = None) -> list[Mapping]:
    """Read the rows of an SSSOM TSV file."""
    path = path or sssom_path()
    try:
        _, body = split_sssom(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LegkgError(f"cannot read mappings {path}: {e.strerror or e}") from None
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    return [Mapping(**{c: (r.get(c) or "") for c in COLUMNS}) for r in reader]


def select(rows: list[Mapping], vocab: str | None = None) -> list[Mapping]:
    """Rows mapping to one vocabulary (all if None)."""
    if vocab is None:
        return rows
    prefix = vocabulary(vocab).prefix
    return [m for m in rows if m.vocabulary == prefix]


def to_sssom(rows: list[Mapping], path: Path | None = None) -> str:
    """SSSOM TSV text: the source file's metadata header and the given rows."""
    header, _ = split_sssom((path or sssom_path()).read_text(encoding="utf-8"))
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    w.writerow(COLUMNS)
    for m in rows:
        w.writerow([getattr(m, c) for c in COLUMNS])
    return header + out.getvalue()


def curie_to_iri(value: str) -> str:
    """``'HP:0011868'`` -> ``'http://purl.obolibrary.org/obo/HP_0011868'``; LegkgError if malformed."""
    prefix, _, local = value.partition(":")
    v = VOCABULARIES.get(prefix)
    if v is None or not re.fullmatch(v.pattern, local):
        raise LegkgError(f"{value!r} is not a valid CURIE of a known vocabulary")
    return v.namespace + local


def iri_to_curie(iri: str) -> str | None:
    """The CURIE of a vocabulary IRI, or None."""
    for v in VOCABULARIES.values():
        if iri.startswith(v.namespace):
            return f"{v.prefix}:{iri[len(v.namespace):]}"
    return None


_VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]


def _d5(j: int, k: int) -> int:
    """Multiplication in the dihedral group D5 (Verhoeff's table)."""
    if j < 5 and k < 5:
        return (j + k) % 5
    if j < 5:
        return (j + k) % 5 + 5
    if k < 5:
        return (j - k) % 5 + 5
    return (j - k) % 5


def verhoeff_valid(number: str) -> bool:
    """Whether a digit string ends in a valid Verhoeff check digit (as every SNOMED CT id does).

    Example:
        >>> verhoeff_valid("24700007"), verhoeff_valid("24700008")
        (True, False)
    """
    if not number.isdigit():
        return False
    c = 0
    for i, ch in enumerate(reversed(number)):
        p = int(ch)
        for _ in range(i % 8):
            p = _VERHOEFF_P[1][p]
        c = _d5(c, p)
    return c == 0


def mapping_triples(rows: list[Mapping]) -> set[tuple[str, str, str]]:
    """(subject IRI, property IRI, value) for every annotation the rows stand for; xref values are CURIEs."""
    out = set()
    for m in rows:
        subject = LEGKG + m.subject_id.removeprefix("legkg:")
        out.add((subject, SKOS + m.predicate_id.removeprefix("skos:"), curie_to_iri(m.object_id)))
        out.add((subject, DBXREF, m.object_id))
    return out


def ontology_triples(backend) -> set[tuple[str, str, str]]:
    """The mapping annotations in a store, in the form of ``mapping_triples``."""
    values = " ".join(f"skos:{m}" for m in MATCHES)
    query = f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?p {{ {values} oboInOwl:hasDbXref }} ?s ?p ?o }} FILTER isIRI(?s) }}"
    return {(r["s"].value, r["p"].value, r["o"].value) for r in backend.select(query)}


def check_ontology(ontology: Path | None = None) -> str:
    """An empty string if the ontology's mapping annotations equal the SSSOM rows, else what differs."""
    from legkg.store.local import open_backend

    want = mapping_triples(load_mappings())
    have = ontology_triples(open_backend(ontology, asserted=True))
    missing, extra = sorted(want - have), sorted(have - want)
    parts = [f"missing {len(missing)} (e.g. {curie(missing[0][0])} {curie(missing[0][1])} {missing[0][2]})"
             if missing else "", f"extra {len(extra)} (e.g. {curie(extra[0][0])} {extra[0][2]})" if extra else ""]
    return "; ".join(p for p in parts if p)


_PROPERTY_LABELS = {
    DBXREF: ("database cross reference",
             "The same entity's code in another vocabulary, written as a CURIE such as ICD10CM:M54.30."),
    SKOS + "broadMatch": ("broad match", "The other vocabulary's concept is broader than this entity."),
    SKOS + "closeMatch": ("close match", "The other vocabulary's concept is close enough to use in most cases."),
    SKOS + "exactMatch": ("exact match", "The other vocabulary's concept means the same as this entity."),
    SKOS + "narrowMatch": ("narrow match", "The other vocabulary's concept is narrower than this entity."),
    SKOS + "relatedMatch": ("related match", "The other vocabulary's concept is related to, but not the same as, "
                                             "this entity."),
}
_OLD_LINE = re.compile(r"^\s*(<skos:(?:exact|close|broad|narrow|related)Match rdf:resource=\"[^\"]*\"/>"
                       r"|<oboInOwl:hasDbXref>[^<]*</oboInOwl:hasDbXref>)\s*\n", re.MULTILINE)
_BLOCK_END = re.compile(r"^\s*(<rdfs:subClassOf|<owl:equivalentClass|<owl:disjointWith|<rdf:type|</owl:Class>"
                        r"|</owl:NamedIndividual>)")


def render_ontology(text: str, rows: list[Mapping]) -> str:
    """The RDF/XML source text with its mapping annotations replaced by those of ``rows``."""
    if "xmlns:skos=" not in text:
        text = text.replace('     xmlns:oboInOwl=', '     xmlns:skos="http://www.w3.org/2004/02/skos/core#"\n'
                            '     xmlns:oboInOwl=', 1)
    for iri, (label, definition) in sorted(_PROPERTY_LABELS.items()):
        if f'<owl:AnnotationProperty rdf:about="{iri}"' in text:
            continue
        block = (f'    <owl:AnnotationProperty rdf:about="{iri}">\n'
                 f'        <rdfs:label xml:lang="en">{label}</rdfs:label>\n'
                 f'        <obo:IAO_0000115 xml:lang="en">{definition}</obo:IAO_0000115>\n'
                 f'    </owl:AnnotationProperty>\n\n')
        anchor = text.find('    <owl:AnnotationProperty rdf:about="https://w3id.org/legkg/')
        if anchor < 0:
            raise LegkgError("cannot find where to declare the mapping annotation properties")
        text = text[:anchor] + block + text[anchor:]
    text = _OLD_LINE.sub("", text)
    by_subject: dict[str, list[str]] = {}
    for m in sorted(rows, key=lambda m: (m.object_id, m.predicate_id)):
        lines = by_subject.setdefault(LEGKG + m.subject_id.removeprefix("legkg:"), [])
        lines.append(f"        <oboInOwl:hasDbXref>{m.object_id}</oboInOwl:hasDbXref>\n")
        lines.append(f'        <{m.predicate_id} rdf:resource="{curie_to_iri(m.object_id)}"/>\n')
    out = text.splitlines(keepends=True)
    for subject, lines in by_subject.items():
        start = next((i for i, line in enumerate(out) if re.match(
            rf'\s*<owl:(Class|NamedIndividual) rdf:about="{re.escape(subject)}">', line)), None)
        if start is None:
            raise LegkgError(f"mapped entity {curie(subject)} is not declared in the ontology")
        end = next(i for i in range(start + 1, len(out)) if _BLOCK_END.match(out[i]))
        out[end:end] = lines
    return "".join(out)


def sync_ontology(ontology: Path | None = None) -> bool:
    """Rewrite the ontology's mapping annotations from the SSSOM file; return whether it changed."""
    from legkg.store.files import atomic_write

    path = ontology or edit_path()
    text = path.read_text(encoding="utf-8")
    new = render_ontology(text, load_mappings())
    if new != text:
        atomic_write(path, new.encode("utf-8"))
    return new != text


def add_xrefs(backend, rows: list[dict], vocab: str) -> str:
    """Add to each row (with an ``id`` CURIE) the entity's codes in one vocabulary; return the column name.

    The codes come from the store's SKOS mapping annotations, joined with ``; ``.
    """
    v = vocabulary(vocab)
    values = " ".join(f"skos:{m}" for m in MATCHES)
    query = (f"SELECT ?entity ?target WHERE {{ VALUES ?p {{ {values} }} ?entity ?p ?target . "
             f"FILTER (isIRI(?target) && STRSTARTS(STR(?target), \"{v.namespace}\")) }}")
    codes: dict[str, set[str]] = {}
    for r in backend.select(query):
        codes.setdefault(curie(r["entity"].value), set()).add(f"{v.prefix}:{r['target'].value[len(v.namespace):]}")
    for row in rows:
        row[v.prefix] = "; ".join(sorted(codes.get(str(row.get("id")), ())))
    return v.prefix


MAPPED_KINDS = ("condition", "symptom", "mechanism", "anatomy")


def coverage_markdown(rows: list[Mapping], entities: dict[str, tuple[str, str]]) -> str:
    """Markdown tables of mapped entities and entities with no true code, per vocabulary.

    ``entities`` maps a CURIE to (label, kind); only conditions, symptoms, mechanisms and anatomy count.

    Example:
        >>> rows = [Mapping("legkg:A", "a", "skos:exactMatch", "HP:0000001", "All", "semapv:ManualMappingCuration")]
        >>> "| HP | Human Phenotype Ontology | 1 | 1 |" in coverage_markdown(rows, {"legkg:A": ("a", "symptom"),
        ...                                                                     "legkg:B": ("b", "anatomy")})
        True
    """
    counted = {c: lk for c, lk in entities.items() if lk[1] in MAPPED_KINDS}
    lines = ["| prefix | vocabulary | entities mapped | entities with no true code | exact | close | broad | "
             "narrow | related |", "|---|---|---|---|---|---|---|---|---|"]
    sections = []
    for prefix, v in VOCABULARIES.items():
        mine = [m for m in rows if m.vocabulary == prefix and m.subject_id in counted]
        mapped = sorted({m.subject_id for m in mine}, key=lambda c: counted[c][0].lower())
        preds = [sum(m.predicate_id == f"skos:{p}" for m in mine) for p in MATCHES]
        lines.append(f"| {prefix} | {v.name} | {len(mapped)} | {len(counted) - len(mapped)} | "
                     + " | ".join(str(n) for n in preds) + " |")
        codes = {c: ", ".join(f"{m.object_id} ({m.predicate_id.removeprefix('skos:').removesuffix('Match')})"
                              for m in mine if m.subject_id == c) for c in mapped}
        none = sorted((lk[0] for c, lk in counted.items() if c not in codes), key=str.lower)
        listed = "; ".join(f"{counted[c][0]} {codes[c]}" for c in mapped)
        sections.append(f"### {v.name} ({prefix})\n\nMapped: {listed}.\n\nNo true code: {', '.join(none) or 'none'}.\n")
    return "\n".join(lines) + "\n\n" + "\n".join(sections)


COVERAGE_MARKER = "<!-- coverage tables below are generated -->\n"


def entity_kinds() -> dict[str, tuple[str, str]]:
    """CURIE -> (label, kind) for every entity of the source ontology."""
    from legkg.store.local import open_backend
    from legkg.store.terms import TermIndex

    index = TermIndex.load(open_backend(asserted=True))
    return {curie(iri): (e.label, e.kind) for iri, e in index.entities.items()}


def rewrite_coverage(doc: Path) -> bool:
    """Replace what follows COVERAGE_MARKER in ``doc`` with fresh coverage tables; return whether it changed."""
    text = doc.read_text(encoding="utf-8")
    head, marker, _ = text.partition(COVERAGE_MARKER)
    if not marker:
        raise LegkgError(f"{doc} has no coverage marker line")
    new = head + marker + "\n" + coverage_markdown(load_mappings(), entity_kinds())
    if new != text:
        doc.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover - a maintenance entry point
    import sys

    print("updated" if rewrite_coverage(Path(sys.argv[1])) else "unchanged", sys.argv[1])
