package dev.ambient.ztunnel.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, path-aware access to an untyped object tree (maps, lists and scalars as decoded from YAML
 * or JSON, e.g. the {@code spec} of a {@code GenericKubernetesResource}).
 *
 * <p>Why: custom resources arrive without a Java model, and a wrong type in one field must become
 * an error naming that field ({@code spec.rules[0].to[1].operation.ports[0]}), never a
 * {@link ClassCastException} that drops the whole batch. Every accessor records type errors in the
 * shared {@link Diagnostics} and returns an empty value, so callers can keep going. Unknown fields
 * are simply never read.
 */
public final class FieldReader {
    private final Diagnostics diagnostics;
    private final String path;
    private final Map<?, ?> fields;

    private FieldReader(Diagnostics diagnostics, String path, Map<?, ?> fields) {
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        this.path = Objects.requireNonNull(path, "path");
        this.fields = Objects.requireNonNull(fields, "fields");
    }

    /** Reads {@code fields}, naming them {@code path} in messages (e.g. {@code "spec"}). */
    public static FieldReader of(Diagnostics diagnostics, String path, Map<?, ?> fields) {
        return new FieldReader(diagnostics, path, fields);
    }

    /** A scalar list element with its own path, so later validation can name the exact element. */
    public record Scalar(String path, String text) {
        public Scalar {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(text, "text");
        }
    }

    public String path() {
        return path;
    }

    /** The path of a field of this object, for messages. */
    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /** True when the field is present and not null; an explicit empty list or map counts as present. */
    public boolean has(String key) {
        return fields.get(key) != null;
    }

    /** True when the field holds something: not null, not an empty list, map or string. */
    public boolean hasContent(String key) {
        return switch (fields.get(key)) {
            case null -> false;
            case List<?> list -> !list.isEmpty();
            case Map<?, ?> map -> !map.isEmpty();
            case String text -> !text.isEmpty();
            default -> true;
        };
    }

    /** A string field; a scalar of another type is an error. */
    public Optional<String> string(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        diagnostics.error(path(key), "expected a string, got " + describe(value));
        return Optional.empty();
    }

    /** A scalar as text, whether YAML read it as a string or a number ({@code port: 15008}). */
    public Optional<String> scalar(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return Optional.of(String.valueOf(value));
        }
        diagnostics.error(path(key), "expected a string or number, got " + describe(value));
        return Optional.empty();
    }

    /** The keys of this object, as text (YAML may read a key such as {@code 8080} as a number). */
    public java.util.Set<String> keys() {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        fields.keySet().forEach(k -> keys.add(String.valueOf(k)));
        return keys;
    }

    /** A nested object; empty when absent or of the wrong type (the latter is recorded as an error). */
    public Optional<FieldReader> object(String key) {
        Object value = fields.get(key);
        if (value == null) {
            for (Map.Entry<?, ?> e : fields.entrySet()) {
                if (String.valueOf(e.getKey()).equals(key)) {
                    value = e.getValue();
                }
            }
        }
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> map) {
            return Optional.of(new FieldReader(diagnostics, path(key), map));
        }
        diagnostics.error(path(key), "expected an object, got " + describe(value));
        return Optional.empty();
    }

    /** A list of objects; elements of another type are errors and left out. */
    public List<FieldReader> objects(String key) {
        List<?> list = list(key);
        List<FieldReader> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = path(key) + "[" + i + "]";
            Object element = list.get(i);
            if (element instanceof Map<?, ?> map) {
                out.add(new FieldReader(diagnostics, elementPath, map));
            } else {
                diagnostics.error(elementPath, "expected an object, got " + describe(element));
            }
        }
        return out;
    }

    /**
     * A list of scalars as text. Strings and integers are accepted because YAML turns an unquoted
     * {@code 8080} into a number; anything else is an error and left out.
     */
    public List<Scalar> scalars(String key) {
        List<?> list = list(key);
        List<Scalar> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = path(key) + "[" + i + "]";
            Object element = list.get(i);
            switch (element) {
                case String text -> out.add(new Scalar(elementPath, text));
                case Integer n -> out.add(new Scalar(elementPath, n.toString()));
                case Long n -> out.add(new Scalar(elementPath, n.toString()));
                case Short n -> out.add(new Scalar(elementPath, n.toString()));
                case BigInteger n -> out.add(new Scalar(elementPath, n.toString()));
                case null, default -> diagnostics.error(elementPath,
                        "expected a string, got " + describe(element));
            }
        }
        return out;
    }

    /** A map of string to string (e.g. labels); entries with non-string values are errors and left out. */
    public Map<String, String> stringMap(String key) {
        Optional<FieldReader> object = object(key);
        if (object.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : object.get().fields.entrySet()) {
            String entryPath = path(key) + "." + entry.getKey();
            if (entry.getValue() instanceof String text) {
                out.put(String.valueOf(entry.getKey()), text);
            } else {
                diagnostics.error(entryPath, "expected a string, got " + describe(entry.getValue()));
            }
        }
        return out;
    }

    /** Records an error on a field of this object (or on this object when key is empty). */
    public void error(String key, String message) {
        diagnostics.error(key.isEmpty() ? path : path(key), message);
    }

    /** Records a warning on a field of this object (or on this object when key is empty). */
    public void warn(String key, String message) {
        diagnostics.warn(key.isEmpty() ? path : path(key), message);
    }

    private List<?> list(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        diagnostics.error(path(key), "expected a list, got " + describe(value));
        return List.of();
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> ignored -> "an object";
            case List<?> ignored -> "a list";
            case String text -> "the string " + Diagnostics.quote(text);
            case Boolean b -> "the boolean " + b;
            case Number n -> "the number " + n;
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
