package dev.ambient.ztunnel.kube;

import java.util.List;
import java.util.Optional;

/** The outcome of converting one object: a value, or the errors that reject it alone. */
record Converted<T>(Optional<T> value, List<String> errors) {

    Converted {
        errors = List.copyOf(errors);
    }

    static <T> Converted<T> ok(T value) {
        return new Converted<>(Optional.of(value), List.of());
    }

    static <T> Converted<T> rejected(List<String> errors) {
        return new Converted<>(Optional.empty(), errors);
    }
}
