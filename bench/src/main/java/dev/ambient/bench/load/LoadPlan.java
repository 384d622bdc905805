package dev.ambient.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One open-loop latency run.
 *
 * @param rate requests per second over all connections
 * @param connections HTTP/1.1 keep-alive connections
 * @param warmup sent, not recorded
 * @param duration recorded
 * @param bodyBytes request body size; the upstream echoes it, so the response body is as large
 */
public record LoadPlan(int rate, int connections, Duration warmup, Duration duration, int bodyBytes) {

    public LoadPlan {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        if (rate < 1 || connections < 1 || bodyBytes < 1) {
            throw new IllegalArgumentException("rate, connections and body size must be positive");
        }
    }

    /** How long after the last request is due its answer may still come before it counts as an error. */
    public Duration grace() {
        return Duration.ofSeconds(5);
    }
}
