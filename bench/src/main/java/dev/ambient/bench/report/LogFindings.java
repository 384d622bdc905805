package dev.ambient.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Warnings and errors the proxies logged during a run. A benchmark whose proxies complained is not a
 * clean measurement, so the report points at them: ztunnel WARNING/SEVERE lines and access-log
 * entries with an error, nginx lines at level error or worse.
 */
public final class LogFindings {

    /** The logs the bench writes for its proxies and, with --capture, its node agents. */
    public static final List<String> LOGS = List.of("ztunnel-node-a.log", "ztunnel-node-b.log",
            "agent-node-a.log", "agent-node-b.log", "nginx-client-error.log", "nginx-server-error.log");

    private LogFindings() {}

    /** One line per log with findings: how many, and the first. */
    public static List<String> scan(Path dir) {
        List<String> out = new ArrayList<>();
        for (String name : LOGS) {
            Path log = dir.resolve(name);
            if (!Files.isReadable(log)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(log)) {
                List<String> bad = lines.filter(LogFindings::isFinding).toList();
                if (!bad.isEmpty()) {
                    out.add(name + " has " + bad.size() + " warning/error line(s), first: " + bad.get(0).trim());
                }
            } catch (IOException | UncheckedIOException e) {
                out.add("cannot read " + log + ": " + e.getMessage());
            }
        }
        return out;
    }

    static boolean isFinding(String line) {
        return line.contains(" WARNING ") || line.contains(" SEVERE ") || line.contains(" error=")
                || line.contains("[error]") || line.contains("[crit]") || line.contains("[alert]")
                || line.contains("[emerg]");
    }
}
