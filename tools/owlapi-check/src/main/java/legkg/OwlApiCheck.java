package legkg;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.HermiT.ReasonerFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;

/**
 * Loads ontology files as Protégé does (OWL API 4.5) and fails on anything Protégé would
 * choke on or silently drop: a parse error, an unparsed triple, an undeclared or punned
 * entity, an OWL 2 DL profile violation, an inconsistency or an unsatisfiable class.
 *
 * <p>Example: {@code java -jar target/owlapi-check.jar ontology/release/legkg.owl}
 * prints one line per problem and exits 1 if there is any.
 */
public final class OwlApiCheck {

    private OwlApiCheck() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: owlapi-check FILE...");
            System.exit(2);
        }
        int problems = 0;
        for (String arg : args) {
            List<String> found = check(new File(arg));
            for (String line : found) {
                System.out.println(arg + ": " + line);
            }
            if (found.isEmpty()) {
                System.out.println(arg + ": ok");
            }
            problems += found.size();
        }
        System.exit(problems == 0 ? 0 : 1);
    }

    static List<String> check(File file) {
        List<String> out = new ArrayList<>();
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
                .setStrict(false);
        OWLOntology ont;
        try {
            ont = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
        } catch (Exception e) {
            out.add("parse error: " + rootCause(e));
            return out;
        }
        OWLDocumentFormat format = manager.getOntologyFormat(ont);
        OWLOntologyLoaderMetaData meta = format == null ? null : format.getOntologyLoaderMetaData();
        if (meta instanceof RDFParserMetaData) {
            RDFParserMetaData rdf = (RDFParserMetaData) meta;
            for (RDFTriple t : new TreeSet<>(rdf.getUnparsedTriples())) {
                out.add("unparsed triple: " + t);
            }
            for (IRI iri : new TreeSet<>(rdf.getGuessedDeclarations().keySet())) {
                out.add("undeclared entity (type guessed): " + iri);
            }
        }
        Set<IRI> seen = new TreeSet<>();
        for (OWLEntity e : ont.getSignature()) {
            if (e.isBuiltIn() || !seen.add(e.getIRI())) {
                continue;
            }
            if (!ont.isDeclared(e)) {
                out.add("undeclared entity: " + e.getEntityType() + " " + e.getIRI());
            }
            Set<OWLEntity> kinds = ont.getEntitiesInSignature(e.getIRI());
            if (kinds.size() > 1) {
                Set<String> types = new TreeSet<>();
                for (OWLEntity k : kinds) {
                    types.add(k.getEntityType().toString());
                }
                out.add("punned entity: " + e.getIRI() + " is " + String.join(" and ", types));
            }
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ont);
        Set<String> violations = new TreeSet<>();
        for (OWLProfileViolation v : report.getViolations()) {
            violations.add("OWL 2 DL violation: " + firstLine(v.toString()));
        }
        out.addAll(violations);
        OWLReasoner reasoner = new ReasonerFactory().createReasoner(ont);
        try {
            if (!reasoner.isConsistent()) {
                out.add("inconsistent");
            } else {
                Set<String> unsat = new TreeSet<>();
                for (OWLClass c : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                    unsat.add("unsatisfiable class: " + c.getIRI());
                }
                out.addAll(unsat);
            }
        } finally {
            reasoner.dispose();
        }
        return out;
    }

    private static String rootCause(Throwable e) {
        String message = e.getMessage();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        if (message != null && message.contains("Parser: ")) {  // the OWL API lists every parser's failure
            message = message.substring(message.indexOf("Parser: "));
        }
        return firstLine(message);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        String line = text.trim().split("\n", 2)[0];
        return line.length() > 300 ? line.substring(0, 299) + "…" : line;
    }
}
