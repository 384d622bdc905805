package dev.ambient.ztunnel.identity;

import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps one valid certificate for each identity this node serves. A certificate is fetched on
 * first use, renewed at half-life with a fresh key, and kept while renewal fails: a CA outage
 * must not take the mesh down while certificates are still valid, so failures are retried with
 * exponential backoff (1 s doubling, at most 150 s apart, never scheduled past expiry).
 * Concurrent requests for the same identity share one CA call.
 */
public final class CertificateManager implements AutoCloseable {

    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(150);
    /** A CA call that has not answered by then counts as failed, so a hung CA cannot stall renewal. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Floor of the refresh delay, so a CA handing out nearly-expired certificates cannot make us spin. */
    static final Duration MIN_REFRESH_DELAY = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(CertificateManager.class.getName());

    private final CaClient ca;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration validity;
    private final ConcurrentMap<SpiffeId, CertificateSlot> slots = new ConcurrentHashMap<>();
    private final List<Consumer<WorkloadCertificate>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * @param ca        signs the CSRs
     * @param scheduler runs renewals and retries; not shut down by {@link #close()}
     * @param clock     decides when certificates are due, expired and how long to wait
     * @param validity  lifetime asked of the CA
     */
    public CertificateManager(CaClient ca, ScheduledExecutorService scheduler, Clock clock, Duration validity) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validity = Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
        }
    }

    /** With the default 24 h validity. */
    public CertificateManager(CaClient ca, ScheduledExecutorService scheduler, Clock clock) {
        this(ca, scheduler, clock, DEFAULT_VALIDITY);
    }

    /**
     * The valid certificate of {@code identity}, fetching one (on the scheduler, never on the
     * calling thread) if there is none yet. Fails at once, without waiting for the next retry,
     * when the last attempt failed and there is no valid certificate; the message then says why
     * and when the next attempt is.
     */
    public CompletableFuture<WorkloadCertificate> certificate(SpiffeId identity) {
        Objects.requireNonNull(identity, "identity");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("certificate manager is closed"));
        }
        CertificateSlot slot = slots.computeIfAbsent(identity, CertificateSlot::new);
        CompletableFuture<WorkloadCertificate> request;
        long attempt;
        synchronized (slot) {
            Instant now = clock.instant();
            WorkloadCertificate current = slot.current;
            if (current != null && !current.isExpired(now)) {
                return CompletableFuture.completedFuture(current);
            }
            if (slot.inFlight != null) {
                return slot.inFlight.copy();
            }
            if (slot.lastFailure != null && slot.timer != null) {
                return CompletableFuture.failedFuture(new CaException(unavailable(slot, now), slot.lastFailure));
            }
            request = slot.start();
            attempt = slot.attempt;
        }
        // Key generation and a CA client that signs in-line must not run on the caller's
        // thread, which is often an event loop.
        if (schedule(() -> send(slot, attempt), Duration.ZERO) == null) {
            complete(slot, attempt, null, new CaException("cannot request a certificate for " + identity
                    + ": the certificate manager's scheduler is shut down"));
        }
        return request.copy();
    }

    /** The certificate of {@code identity} if there is one and it has not expired. */
    public Optional<WorkloadCertificate> current(SpiffeId identity) {
        CertificateSlot slot = slots.get(Objects.requireNonNull(identity, "identity"));
        WorkloadCertificate current = slot == null ? null : slot.current;
        return current == null || current.isExpired(clock.instant()) ? Optional.empty() : Optional.of(current);
    }

    /** Every certificate held, expired ones included (they show why a workload fails), by identity. */
    public List<WorkloadCertificate> snapshot() {
        return slots.values().stream()
                .map(slot -> slot.current)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(certificate -> certificate.identity().toString()))
                .toList();
    }

    /** Forgets identities not in {@code identities} and stops renewing them. */
    public void retainOnly(Set<SpiffeId> identities) {
        Set<SpiffeId> keep = Set.copyOf(identities);
        slots.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().retire();
            return true;
        });
    }

    /** Called with every newly issued certificate, after it became current; must not block. */
    public void addListener(Consumer<WorkloadCertificate> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops all renewals. Requests in flight still complete their callers' futures. */
    @Override
    public void close() {
        closed = true;
        slots.values().forEach(CertificateSlot::retire);
        slots.clear();
    }

    private void send(CertificateSlot slot, long attempt) {
        Csr csr;
        CompletableFuture<List<X509Certificate>> response;
        try {
            csr = Csr.generate(slot.identity);
            response = Objects.requireNonNull(ca.sign(slot.identity, csr.pem(), validity),
                    "BUG: CA client returned no future");
        } catch (RuntimeException e) {
            complete(slot, attempt, null, e);
            return;
        }
        ScheduledFuture<?> timeout = schedule(() -> complete(slot, attempt, null,
                new CaException("CA did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s")), REQUEST_TIMEOUT);
        slot.setRequestTimeout(attempt, timeout);
        response.whenComplete((chain, error) -> {
            if (error != null) {
                complete(slot, attempt, null, error);
                return;
            }
            WorkloadCertificate issued;
            try {
                issued = IssuedChain.accept(slot.identity, csr, chain, clock);
            } catch (CaException | RuntimeException e) {
                complete(slot, attempt, null, e);
                return;
            }
            complete(slot, attempt, issued, null);
        });
    }

    private void complete(CertificateSlot slot, long attempt, WorkloadCertificate issued, Throwable error) {
        Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Instant now = clock.instant();
        CompletableFuture<WorkloadCertificate> waiters;
        boolean active;
        String message = null;
        synchronized (slot) {
            waiters = slot.finish(attempt);
            if (waiters == null) {
                return; // a late answer to an attempt that already timed out
            }
            active = !slot.retired && !closed;
            if (issued != null) {
                slot.current = issued;
                slot.failures = 0;
                slot.lastFailure = null;
                if (active) {
                    slot.timer = schedule(() -> refresh(slot), max(Duration.between(now, issued.refreshAt()),
                            MIN_REFRESH_DELAY));
                }
            } else {
                slot.failures++;
                slot.lastFailure = failure;
                Duration delay = retryDelay(slot.failures, slot.current, now);
                if (active) {
                    slot.timer = schedule(() -> refresh(slot), delay);
                }
                message = "cannot " + (slot.current == null ? "obtain" : "renew") + " the certificate of "
                        + slot.identity + " (attempt " + slot.failures + "): " + describe(failure) + "; "
                        + timeLeft(slot.current, now) + (active ? "; retrying in " + human(delay) : "");
            }
        }
        if (issued == null) {
            LOG.log(Level.WARNING, message);
            waiters.completeExceptionally(failure);
            return;
        }
        LOG.log(Level.INFO, "new certificate for {0}, valid until {1}", slot.identity, issued.notAfter());
        if (active) {
            for (Consumer<WorkloadCertificate> listener : listeners) {
                try {
                    listener.accept(issued);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "certificate listener failed for " + slot.identity, e);
                }
            }
        }
        waiters.complete(issued);
    }

    private void refresh(CertificateSlot slot) {
        long attempt;
        synchronized (slot) {
            slot.timer = null;
            if (slot.retired || closed || slot.inFlight != null) {
                return;
            }
            slot.start();
            attempt = slot.attempt;
        }
        send(slot, attempt);
    }

    /** Backoff for the n-th consecutive failure, cut short so the next attempt is no later than expiry. */
    static Duration retryDelay(int failures, WorkloadCertificate current, Instant now) {
        Duration delay = failures >= 9 ? MAX_BACKOFF
                : min(INITIAL_BACKOFF.multipliedBy(1L << Math.max(0, failures - 1)), MAX_BACKOFF);
        if (current != null) {
            Duration untilExpiry = Duration.between(now, current.notAfter());
            if (untilExpiry.isPositive() && untilExpiry.compareTo(delay) < 0) {
                delay = untilExpiry;
            }
        }
        return delay;
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.ERROR, "certificate renewal cannot be scheduled, the scheduler is shut down", e);
            return null;
        }
    }

    private static String unavailable(CertificateSlot slot, Instant now) {
        return "no valid certificate for " + slot.identity + ": " + timeLeft(slot.current, now)
                + "; the last CA request failed: " + describe(slot.lastFailure)
                + "; next attempt in " + human(max(Duration.ofMillis(slot.timer.getDelay(TimeUnit.MILLISECONDS)),
                Duration.ZERO));
    }

    private static String timeLeft(WorkloadCertificate current, Instant now) {
        if (current == null) {
            return "no certificate yet";
        }
        if (current.isExpired(now)) {
            return "certificate expired at " + current.notAfter();
        }
        return "current certificate expires in " + human(Duration.between(now, current.notAfter()))
                + " (at " + current.notAfter() + ")";
    }

    /** The message, or the type when there is none (a bug elsewhere should still be identifiable). */
    private static String describe(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return duration.toMillis() < 1000 && !duration.isZero() ? duration.toMillis() + " ms" : seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "CertificateManager{" + Arrays.toString(slots.keySet().toArray()) + "}";
    }
}
