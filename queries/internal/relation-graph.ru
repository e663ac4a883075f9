# title: Relation graph
# description: Adds a direct edge S P O for every fact, universal or hedged: every existential or value restriction a named class is a subclass of (Sciatica affects SciaticNerve), each option of an "or" restriction, and every hedged fact (an annotation assertion whose property is legkg:hedgeOf P). Each edge gets a fact node (the annotated axiom, or a new node for an option of an "or") with rdf:subject, rdf:predicate and rdf:object, carrying legkg:modality and legkg:sourceSentence, so canned queries can follow relations with property paths and show how strongly, and from which sentence, each edge is stated. A negated fact ("not spinal in origin") gets a fact node with modality legkg:Not and no edge.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX legkg: <https://w3id.org/legkg/>
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
  FILTER NOT EXISTS { ?p legkg:hedgeOf ?mirrored }
} ;
# An "or" (Sciatica involves irritation or compression): the axiom holds always, each option alone can hold.
INSERT {
  ?s ?p ?o .
  _:option rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; legkg:modality legkg:Can ;
           legkg:optionOf ?ax ; legkg:sourceSentence ?sentence .
}
WHERE {
  ?s rdfs:subClassOf ?r .
  ?r owl:onProperty ?p ; owl:someValuesFrom ?u .
  ?u owl:unionOf/rdf:rest*/rdf:first ?o .
  FILTER (isIRI(?s) && isIRI(?o) && isIRI(?p))
  OPTIONAL {
    ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty rdfs:subClassOf ; owl:annotatedTarget ?t .
    ?t owl:onProperty ?p ; owl:someValuesFrom ?tu .
    ?tu owl:unionOf/rdf:rest*/rdf:first ?o .
    OPTIONAL { ?ax legkg:sourceSentence ?sentence }
  }
} ;
# A hedged fact (Stroke hasSymptomHedged OneSidedParalysis, modality can): the edge uses the object property.
INSERT { ?s ?p ?o . ?ax rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
WHERE {
  ?h legkg:hedgeOf ?p .
  ?s ?h ?o .
  FILTER (isIRI(?s) && isIRI(?o))
  OPTIONAL { ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty ?h ; owl:annotatedTarget ?o }
} ;
# A negated fact (piriformis syndrome is not spinal in origin): a fact node, never an edge.
INSERT { ?ax rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
WHERE {
  ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty rdfs:subClassOf ; owl:annotatedTarget ?t .
  ?t owl:complementOf ?r .
  ?r owl:onProperty ?p ; owl:someValuesFrom ?o .
  FILTER (isIRI(?o))
}
