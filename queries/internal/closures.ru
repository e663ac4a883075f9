# title: Closures
# description: Materialises the closures the canned queries follow, the way Ubergraph and relation-graph publish them, so no query needs an unbounded property path: legkg:isA is rdfs:subClassOf* (reflexive and transitive), legkg:isAOrPartOf is (rdfs:subClassOf|legkg:partOf)*, legkg:isAOrWithin is (rdfs:subClassOf|legkg:partOf|legkg:locatedIn)*. Each holds from every named entity to itself. Runs after the relation graph and adds edges only.
PREFIX legkg: <https://w3id.org/legkg/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?x legkg:isA ?x . ?x legkg:isAOrPartOf ?x . ?x legkg:isAOrWithin ?x }
WHERE {
  { ?x a owl:Class } UNION { ?x a owl:NamedIndividual } UNION { ?x rdfs:label ?label }
  UNION { ?x rdfs:subClassOf|legkg:partOf|legkg:locatedIn ?y } UNION { ?y rdfs:subClassOf|legkg:partOf|legkg:locatedIn ?x }
  FILTER (isIRI(?x))
  FILTER NOT EXISTS { VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty owl:Ontology }
                      ?x a ?t }
} ;
INSERT { ?x legkg:isA ?y } WHERE { ?x rdfs:subClassOf+ ?y FILTER (isIRI(?x) && isIRI(?y)) } ;
INSERT { ?x legkg:isAOrPartOf ?y } WHERE { ?x (rdfs:subClassOf|legkg:partOf)+ ?y FILTER (isIRI(?x) && isIRI(?y)) } ;
INSERT { ?x legkg:isAOrWithin ?y }
WHERE { ?x (rdfs:subClassOf|legkg:partOf|legkg:locatedIn)+ ?y FILTER (isIRI(?x) && isIRI(?y)) } ;
INSERT DATA {
  legkg:isA a owl:AnnotationProperty ; rdfs:label "is a (closure)"@en ;
    rdfs:comment "Materialised rdfs:subClassOf*: holds from a named entity to itself and to each of its superclasses, asserted or inferred."@en .
  legkg:isAOrPartOf a owl:AnnotationProperty ; rdfs:label "is a or part of (closure)"@en ;
    rdfs:comment "Materialised (rdfs:subClassOf|legkg:partOf)*."@en .
  legkg:isAOrWithin a owl:AnnotationProperty ; rdfs:label "is a, part of or located in (closure)"@en ;
    rdfs:comment "Materialised (rdfs:subClassOf|legkg:partOf|legkg:locatedIn)*."@en .
}
