package dev.ambient.daemonset.ca;

import java.util.Optional;

/** Asks who a service-account token belongs to; empty when it is not valid. */
@FunctionalInterface
public interface TokenReviewer {
    Optional<Caller> review(String token);
}
