package dev.ambient.ztunnel.identity;

/**
 * A certificate could not be obtained: the CA refused the request or answered with something
 * unusable. The message says which, for which identity.
 */
public final class CaException extends Exception {

    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}
