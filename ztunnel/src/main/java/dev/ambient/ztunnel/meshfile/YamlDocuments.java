package dev.ambient.ztunnel.meshfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits multi-document YAML at its {@code ---} markers without parsing it, so that a syntax error in
 * one document cannot take the documents after it down too.
 */
public final class YamlDocuments {

    /** One document: its text, its 1-based index, and the line it starts on (for error messages). */
    public record Document(String text, int index, int line) {}

    private YamlDocuments() {}

    public static List<Document> split(String text) {
        List<Document> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int startLine = 1;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            // A document marker starts at column 0; "--- # comment" and "---" alone are both markers.
            if (line.equals("---") || line.startsWith("--- ") || line.equals("---\r")) {
                add(docs, current, startLine);
                current.setLength(0);
                startLine = lineNo + 1;
                continue;
            }
            if (line.equals("...")) {
                continue;
            }
            current.append(line).append('\n');
        }
        add(docs, current, startLine);
        return docs;
    }

    private static void add(List<Document> docs, StringBuilder text, int startLine) {
        if (!text.toString().isBlank()) {
            docs.add(new Document(text.toString(), docs.size() + 1, startLine));
        }
    }
}
