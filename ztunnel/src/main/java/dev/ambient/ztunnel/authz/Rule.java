package dev.ambient.ztunnel.authz;

import java.util.List;

/**
 * One entry of a policy's {@code rules}: clauses that must all hold (mirrors a group of
 * {@code istio.security.Rules}). A rule without clauses matches every connection, which is what
 * {@code rules: [{}]} means in Istio.
 *
 * @param clauses conditions, AND-ed
 */
public record Rule(List<Clause> clauses) {

    private static final Rule MATCH_ALL = new Rule(List.of());

    public Rule {
        clauses = List.copyOf(clauses);
    }

    public static Rule of(Clause... clauses) {
        return new Rule(List.of(clauses));
    }

    /** The rule {@code {}}: matches every connection. */
    public static Rule matchAll() {
        return MATCH_ALL;
    }

    public boolean matches(ConnectionContext context) {
        return matches(MatchInput.of(context));
    }

    boolean matches(MatchInput in) {
        for (int i = 0; i < clauses.size(); i++) {
            if (!clauses.get(i).matches(in)) {
                return false;
            }
        }
        return true;
    }
}
