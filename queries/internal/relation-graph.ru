# title: Relation graph
# description: Adds a direct edge for every existential or value restriction a named class is a subclass of (Sciatica affects SciaticNerve), and links each annotated axiom to the edge it states with RDF reification terms, so canned queries can follow relations with property paths and find the article sentence behind each edge.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?s ?p ?o }
WHERE {
  ?s rdfs:subClassOf ?r .
  ?r owl:onProperty ?p .
  { ?r owl:someValuesFrom ?o } UNION { ?r owl:hasValue ?o }
  FILTER (isIRI(?s) && isIRI(?o) && isIRI(?p))
} ;
INSERT { ?ax rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
WHERE {
  ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty rdfs:subClassOf ; owl:annotatedTarget ?t .
  ?t owl:onProperty ?p .
  { ?t owl:someValuesFrom ?o } UNION { ?t owl:hasValue ?o }
  FILTER (isIRI(?o))
} ;
INSERT { ?ax rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
WHERE {
  ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
  FILTER (isIRI(?o))
}
