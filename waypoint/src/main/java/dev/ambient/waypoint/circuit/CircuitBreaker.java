package dev.ambient.waypoint.circuit;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy-style circuit breaking for one backend service, shared by every event loop: counts of open
 * connections, requests waiting for one, and requests in flight, each refused beyond its {@link
 * Limits}. A refused request is answered 503 at once ("upstream overflow") instead of queueing
 * without bound. A request waiting for a connection registers a wake-up that runs when one closes.
 */
public final class CircuitBreaker {

    /** Which limit refused something, for the overflow counters. */
    public enum Overflow { CONNECTIONS, PENDING, REQUESTS }

    private final Limits limits;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong[] overflows = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final Queue<Runnable> wakeUps = new ConcurrentLinkedQueue<>();

    public CircuitBreaker(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    public boolean tryRequest() {
        return tryAcquire(requests, limits.maxRequests(), Overflow.REQUESTS);
    }

    public void requestDone() {
        requests.decrementAndGet();
    }

    /** A slot for a new connection; when none is left the caller may wait as a pending request. */
    public boolean tryConnection() {
        if (connections.incrementAndGet() <= limits.maxConnections()) {
            return true;
        }
        connections.decrementAndGet();
        return false;
    }

    /** A connection closed: its slot is free, and one waiter (on any event loop) may take it. */
    public void connectionClosed() {
        connections.decrementAndGet();
        Runnable next = wakeUps.poll();
        if (next != null) {
            next.run();
        }
    }

    public boolean tryPending() {
        return tryAcquire(pending, limits.maxPendingRequests(), Overflow.PENDING);
    }

    public void pendingDone() {
        pending.decrementAndGet();
    }

    /** Runs {@code wakeUp} once, when a connection slot frees up. */
    public void onConnectionFreed(Runnable wakeUp) {
        wakeUps.add(wakeUp);
    }

    /** Whether some request waits for a connection slot (an idle connection is then better closed). */
    public boolean waiters() {
        return !wakeUps.isEmpty();
    }

    public void overflowConnections() {
        overflows[Overflow.CONNECTIONS.ordinal()].incrementAndGet();
    }

    public long overflows(Overflow kind) {
        return overflows[kind.ordinal()].get();
    }

    public int connections() {
        return connections.get();
    }

    public int pending() {
        return pending.get();
    }

    public int requests() {
        return requests.get();
    }

    private boolean tryAcquire(AtomicInteger counter, int max, Overflow kind) {
        if (counter.incrementAndGet() <= max) {
            return true;
        }
        counter.decrementAndGet();
        overflows[kind.ordinal()].incrementAndGet();
        return false;
    }
}
