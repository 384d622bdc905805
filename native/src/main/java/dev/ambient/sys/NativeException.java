package dev.ambient.sys;

/**
 * A failed native call: names the call, its subject and the errno's text, so an operator reads
 * "setns(/run/netns/node-a): Operation not permitted" rather than a bare number.
 */
public final class NativeException extends RuntimeException {

    private final String call;
    private final int errno;

    public NativeException(String call, int errno, String text) {
        super(call + ": " + text + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
