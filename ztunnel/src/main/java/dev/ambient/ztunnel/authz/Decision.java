package dev.ambient.ztunnel.authz;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of authorizing one connection. A deny is an expected result, not an error: the
 * proxy maps it to a closed connection, a {@code DENY} response flag and an access-log line at the
 * edge, using the reason and the deciding policy as they are.
 *
 * @param allowed whether the connection may proceed
 * @param reason  operator-readable, e.g. {@code denied by policy ns1/deny-foo}
 * @param policy  key of the deciding policy, or empty when no single policy decided
 * @param dryRuns what each applicable dry-run policy would have decided
 */
public record Decision(boolean allowed, String reason, String policy, List<DryRunResult> dryRuns) {

    public Decision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(policy, "policy");
        dryRuns = List.copyOf(dryRuns);
    }

    public static Decision allow(String reason, String policy, List<DryRunResult> dryRuns) {
        return new Decision(true, reason, policy, dryRuns);
    }

    public static Decision allow(String reason) {
        return new Decision(true, reason, "", List.of());
    }

    public static Decision deny(String reason, String policy, List<DryRunResult> dryRuns) {
        return new Decision(false, reason, policy, dryRuns);
    }

    public static Decision deny(String reason) {
        return new Decision(false, reason, "", List.of());
    }

    public boolean denied() {
        return !allowed;
    }
}
