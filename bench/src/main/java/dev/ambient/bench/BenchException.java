package dev.ambient.bench;

/**
 * A benchmark step that could not be carried out (a proxy did not start, a port could not be bound).
 * The message is for the operator and says what to check; it is printed without a stack trace.
 */
public final class BenchException extends Exception {

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
