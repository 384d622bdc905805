package dev.ambient.ztunnel.authz;

import java.util.Objects;

/**
 * What a dry-run policy would have decided, so an operator can roll a policy out in report-only
 * mode (Istio's {@code istio.io/dry-run} annotation, Envoy's shadow rules) and read from the logs
 * what enforcing it would break before enforcing it.
 *
 * <p>"Would allow" is the decision the connection would get if this one policy were enforced
 * together with the policies that are enforced now.
 *
 * @param policy     key ({@code namespace/name}) of the dry-run policy
 * @param wouldAllow the decision with the policy enforced
 */
public record DryRunResult(String policy, boolean wouldAllow) {

    public DryRunResult {
        Objects.requireNonNull(policy, "policy");
    }

    public static DryRunResult wouldAllow(String policy) {
        return new DryRunResult(policy, true);
    }

    public static DryRunResult wouldDeny(String policy) {
        return new DryRunResult(policy, false);
    }

    @Override
    public String toString() {
        return policy + (wouldAllow ? " would allow" : " would deny");
    }
}
