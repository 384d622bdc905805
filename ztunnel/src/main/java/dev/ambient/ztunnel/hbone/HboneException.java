package dev.ambient.ztunnel.hbone;

/**
 * A tunnel could not be opened. {@link #status()} is the HTTP status the peer answered, or 0 when the
 * failure happened before an answer (connect, TLS, identity).
 */
public final class HboneException extends Exception {

    private final int status;

    public HboneException(String message, int status) {
        super(message);
        this.status = status;
    }

    public HboneException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
