package dev.ambient.ztunnel.identity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The renewal state of one identity in a {@link CertificateManager}. Every field except
 * {@code current} is guarded by this object's monitor; {@code current} is also read without it.
 * Attempts are numbered so that a CA answer arriving after its attempt timed out is ignored.
 */
final class CertificateSlot {

    final SpiffeId identity;
    volatile WorkloadCertificate current;
    CompletableFuture<WorkloadCertificate> inFlight;
    ScheduledFuture<?> timer;
    long attempt;
    int failures;
    Throwable lastFailure;
    boolean retired;
    private ScheduledFuture<?> requestTimeout;

    CertificateSlot(SpiffeId identity) {
        this.identity = identity;
    }

    /** Begins a new attempt; whoever calls this must then send the request. */
    synchronized CompletableFuture<WorkloadCertificate> start() {
        cancelTimer();
        attempt++;
        inFlight = new CompletableFuture<>();
        return inFlight;
    }

    /** Ends {@code attemptNumber} and returns its waiters, or null if it already ended. */
    synchronized CompletableFuture<WorkloadCertificate> finish(long attemptNumber) {
        if (attemptNumber != attempt || inFlight == null) {
            return null;
        }
        if (requestTimeout != null) {
            requestTimeout.cancel(false);
            requestTimeout = null;
        }
        CompletableFuture<WorkloadCertificate> waiters = inFlight;
        inFlight = null;
        return waiters;
    }

    synchronized void setRequestTimeout(long attemptNumber, ScheduledFuture<?> timeout) {
        if (timeout == null) {
            return;
        }
        if (attemptNumber == attempt && inFlight != null) {
            requestTimeout = timeout;
        } else {
            timeout.cancel(false); // the answer came first
        }
    }

    /** Stops renewals; a request in flight still completes its waiters. */
    synchronized void retire() {
        retired = true;
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
