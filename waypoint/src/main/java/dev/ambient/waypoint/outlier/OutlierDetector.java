package dev.ambient.waypoint.outlier;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Passive health checking of backend endpoints, as Envoy's outlier detection: an endpoint that fails
 * {@code consecutiveErrors} times in a row (5xx, failed connection, reset) is ejected for the base
 * ejection time multiplied by how often it was ejected before; never more than {@code maxEjectedShare}
 * of an endpoint set at once, so a service whose every pod fails still gets its traffic (and its
 * errors seen) rather than none.
 */
public final class OutlierDetector {

    /** Istio's defaults apply to a backend without a DestinationRule; zero consecutive errors turns ejection off. */
    public record Settings(int consecutiveErrors, Duration baseEjection, double maxEjectedShare) {
        public static final Settings DEFAULTS = new Settings(5, Duration.ofSeconds(30), 0.5);
    }

    private static final class State {
        int consecutive;
        int ejections;
        long ejectedUntil;
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final Map<String, State> endpoints = new ConcurrentHashMap<>();

    public OutlierDetector(Settings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    public boolean ejected(String endpoint) {
        State s = endpoints.get(endpoint);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            return nanoTime.getAsLong() < s.ejectedUntil;
        }
    }

    public void success(String endpoint) {
        State s = endpoints.get(endpoint);
        if (s != null) {
            synchronized (s) {
                s.consecutive = 0;
            }
        }
    }

    /**
     * Counts a failure of {@code endpoint}, one of {@code set}; returns true when this failure
     * ejected it.
     */
    public boolean failure(String endpoint, Collection<String> set) {
        return failure(endpoint, set, settings);
    }

    /** As {@link #failure(String, Collection)}, under the backend's own settings. */
    public boolean failure(String endpoint, Collection<String> set, Settings settings) {
        if (settings.consecutiveErrors() == 0) {
            return false;
        }
        State s = endpoints.computeIfAbsent(endpoint, k -> new State());
        long ejectedNow = set.stream().filter(this::ejected).count();
        synchronized (s) {
            s.consecutive++;
            long now = nanoTime.getAsLong();
            if (s.consecutive < settings.consecutiveErrors() || now < s.ejectedUntil
                    || ejectedNow + 1 > Math.floor(set.size() * settings.maxEjectedShare())) {
                return false;
            }
            s.ejections++;
            s.consecutive = 0;
            s.ejectedUntil = now + settings.baseEjection().toNanos() * s.ejections;
            return true;
        }
    }
}
