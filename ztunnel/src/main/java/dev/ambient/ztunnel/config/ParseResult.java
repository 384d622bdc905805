package dev.ambient.ztunnel.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of turning one untrusted resource (Kubernetes object, xDS message, file) into a typed
 * value, so that a bad resource rejects only itself and every problem is reported at once instead
 * of the first one being thrown.
 *
 * <p>Three outcomes: {@link Ok} (usable, maybe with warnings), {@link Invalid} (rejected, with
 * operator-readable errors) and {@link Skipped} (well-formed but not meant for this consumer, e.g.
 * a policy that only a waypoint enforces). Messages name the object and the field path, for
 * example {@code AuthorizationPolicy ns1/deny-all: spec.rules[0].from[1].source.ipBlocks[2]: ...}.
 *
 * @param <T> the parsed value type
 */
public sealed interface ParseResult<T> permits ParseResult.Ok, ParseResult.Invalid, ParseResult.Skipped {

    /** The parsed value; fails with an {@link IllegalStateException} when {@link #isOk()} is false. */
    T value();

    /** Reasons the resource was rejected; empty unless the result is {@link Invalid}. */
    List<String> errors();

    /** Problems worth logging that did not prevent parsing (for example, an ignored HTTP rule). */
    List<String> warnings();

    /** A usable value. */
    record Ok<T>(T value, List<String> warnings) implements ParseResult<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
            warnings = List.copyOf(warnings);
        }

        @Override
        public List<String> errors() {
            return List.of();
        }
    }

    /** A rejected resource and why. */
    record Invalid<T>(List<String> errors, List<String> warnings) implements ParseResult<T> {
        public Invalid {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("BUG: an invalid parse result needs at least one error");
            }
        }

        @Override
        public T value() {
            throw new IllegalStateException("BUG: value() of a rejected resource: " + errors);
        }
    }

    /** A well-formed resource that this consumer deliberately ignores; the warnings say why. */
    record Skipped<T>(List<String> warnings) implements ParseResult<T> {
        public Skipped {
            warnings = List.copyOf(warnings);
        }

        @Override
        public T value() {
            throw new IllegalStateException("BUG: value() of a skipped resource: " + warnings);
        }

        @Override
        public List<String> errors() {
            return List.of();
        }
    }

    static <T> ParseResult<T> ok(T value) {
        return new Ok<>(value, List.of());
    }

    static <T> ParseResult<T> ok(T value, List<String> warnings) {
        return new Ok<>(value, warnings);
    }

    static <T> ParseResult<T> errors(List<String> errors) {
        return new Invalid<>(errors, List.of());
    }

    static <T> ParseResult<T> errors(List<String> errors, List<String> warnings) {
        return new Invalid<>(errors, warnings);
    }

    static <T> ParseResult<T> error(String error) {
        return new Invalid<>(List.of(error), List.of());
    }

    static <T> ParseResult<T> skipped(List<String> warnings) {
        return new Skipped<>(warnings);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    default boolean isSkipped() {
        return this instanceof Skipped;
    }

    /** The value when ok, otherwise empty (errors and warnings are still on this result). */
    default Optional<T> toOptional() {
        return this instanceof Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    /** Transforms an ok value, keeping errors and warnings as they are. */
    default <R> ParseResult<R> map(Function<? super T, ? extends R> mapper) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(mapper.apply(ok.value()), ok.warnings());
            case Invalid<T> invalid -> new Invalid<>(invalid.errors(), invalid.warnings());
            case Skipped<T> skipped -> new Skipped<>(skipped.warnings());
        };
    }
}
