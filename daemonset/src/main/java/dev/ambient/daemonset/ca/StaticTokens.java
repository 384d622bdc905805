package dev.ambient.daemonset.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens for a local cluster, which has no API server to review them: a file of lines
 * {@code <token> <namespace>/<service-account> [<node>]} ({@code #} starts a comment), as the local
 * cluster writes it for the agents it starts. Read once; a malformed line stops the CA with its line
 * number.
 */
public final class StaticTokens implements TokenReviewer {

    private final Map<String, Caller> callers;

    private StaticTokens(Map<String, Caller> callers) {
        this.callers = Map.copyOf(callers);
    }

    public static StaticTokens read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Caller> callers = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String[] sa = f.length >= 2 ? f[1].split("/") : new String[0];
            if (f.length < 2 || f.length > 3 || sa.length != 2 || sa[0].isEmpty() || sa[1].isEmpty()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected \"<token> "
                        + "<namespace>/<service-account> [<node>]\"");
            }
            callers.put(f[0], new Caller(sa[0], sa[1], f.length == 3 ? Optional.of(f[2]) : Optional.empty()));
        }
        return new StaticTokens(callers);
    }

    @Override
    public Optional<Caller> review(String token) {
        return Optional.ofNullable(callers.get(token));
    }
}
