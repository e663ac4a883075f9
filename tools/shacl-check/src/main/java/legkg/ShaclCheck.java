package legkg;

import java.util.ArrayList;
import java.util.List;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;

/**
 * Validates data files against SHACL shapes with Apache Jena SHACL and prints one line per
 * result: {@code FILE: FOCUS-NODE: MESSAGE}, or {@code FILE: conforms}.
 *
 * <p>Example: {@code java -jar shacl-check.jar ontology/shapes/legkg-shapes.ttl ontology/release/legkg.ttl}
 * exits 0 when every file conforms, 1 when one does not, 2 on misuse or a file it cannot read.
 */
public final class ShaclCheck {

    private ShaclCheck() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: shacl-check SHAPES DATA...");
            System.exit(2);
        }
        Shapes shapes;
        try {
            shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        } catch (RuntimeException e) {
            System.err.println(args[0] + ": cannot read the shapes: " + e.getMessage());
            System.exit(2);
            return;
        }
        int results = 0;
        for (int i = 1; i < args.length; i++) {
            Graph data;
            try {
                data = RDFDataMgr.loadGraph(args[i]);
            } catch (RuntimeException e) {
                System.err.println(args[i] + ": cannot read: " + e.getMessage());
                System.exit(2);
                return;
            }
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            List<String> lines = new ArrayList<>();
            for (ReportEntry entry : report.getEntries()) {
                lines.add(args[i] + ": " + name(entry.focusNode()) + ": " + entry.message());
            }
            lines.sort(null);
            lines.forEach(System.out::println);
            if (lines.isEmpty()) {
                System.out.println(args[i] + ": conforms");
            }
            results += lines.size();
        }
        System.exit(results == 0 ? 0 : 1);
    }

    private static String name(Node node) {
        return node.isURI() ? node.getURI() : node.toString();
    }
}
