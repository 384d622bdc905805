package dev.ambient.waypoint.ratelimit;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A route rule's local rate limit: a token bucket refilled at {@code perSecond} holding at most
 * {@code burst} tokens. The Gateway API has no field for it, so it is read from the HTTPRoute's
 * annotations {@value #RATE} and {@value #BURST} and applies to each of the route's rules.
 */
public record RateLimit(double perSecond, int burst) {

    public static final String RATE = "waypoint.ambient.dev/requests-per-second";
    public static final String BURST = "waypoint.ambient.dev/burst";

    public RateLimit {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("BUG: rate " + perSecond + "/s burst " + burst);
        }
    }

    /**
     * The limit the annotations give, or empty when there is none; {@code error} is told what is
     * wrong with a value that does not read.
     */
    public static Optional<RateLimit> fromAnnotations(Map<String, String> annotations,
            BiConsumer<String, String> error) {
        String rate = annotations.get(RATE);
        if (rate == null) {
            if (annotations.containsKey(BURST)) {
                error.accept(BURST, "needs " + RATE + " too");
            }
            return Optional.empty();
        }
        double perSecond;
        try {
            perSecond = Double.parseDouble(rate.strip());
        } catch (NumberFormatException e) {
            perSecond = -1;
        }
        if (!(perSecond > 0) || perSecond > 1_000_000) {
            error.accept(RATE, "\"" + rate + "\" is not a rate from 0 to 1000000 requests per second");
            return Optional.empty();
        }
        int burst = (int) Math.max(1, Math.ceil(perSecond));
        String b = annotations.get(BURST);
        if (b != null) {
            if (!b.strip().matches("\\d{1,7}") || Integer.parseInt(b.strip()) < 1) {
                error.accept(BURST, "\"" + b + "\" is not a whole number of requests of at least 1");
                return Optional.empty();
            }
            burst = Integer.parseInt(b.strip());
        }
        return Optional.of(new RateLimit(perSecond, burst));
    }
}
