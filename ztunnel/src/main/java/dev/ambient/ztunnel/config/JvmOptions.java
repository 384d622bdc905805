package dev.ambient.ztunnel.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options a ztunnel process runs with, kept in one resource ({@code ztunnel-jvm.options})
 * that the launcher, the local cluster and the bench all read, so the process measured is the
 * process deployed. {@code ZTUNNEL_JAVA_OPTS} adds to them.
 */
public final class JvmOptions {

    public static final String RESOURCE = "/ztunnel-jvm.options";
    public static final String ENVIRONMENT = "ZTUNNEL_JAVA_OPTS";
    private static final String ENV = "env ";

    private JvmOptions() {}

    /** The JVM options. */
    public static List<String> ztunnel() {
        List<String> options = new ArrayList<>();
        for (String item : items()) {
            if (!item.startsWith(ENV)) {
                options.add(item);
            }
        }
        String extra = System.getenv(ENVIRONMENT);
        if (extra != null && !extra.isBlank()) {
            options.addAll(Arrays.asList(extra.strip().split("\\s+")));
        }
        return options;
    }

    /**
     * The command prefix that sets the process environment ({@code env NAME=VALUE ...}); {@code env}
     * execs the JVM, so the process id a caller sees is the JVM's.
     */
    public static List<String> environmentPrefix() {
        List<String> prefix = new ArrayList<>(List.of("env"));
        for (String item : items()) {
            if (item.startsWith(ENV)) {
                prefix.add(item.substring(ENV.length()).strip());
            }
        }
        return prefix;
    }

    private static List<String> items() {
        List<String> items = new ArrayList<>();
        try (InputStream in = JvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("BUG: " + RESOURCE + " is missing from the ztunnel jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String item = line.strip();
                if (!item.isEmpty() && !item.startsWith("#")) {
                    items.add(item);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items;
    }
}
