package dev.ambient.ztunnel.authz;

import java.util.List;

/**
 * One condition of a {@link Rule}: a non-empty list of alternative {@link Match}es, any of which
 * satisfies it. In a policy, the entries of one {@code from} (or one {@code to}) list form one
 * clause, and each {@code when} condition is a clause of its own.
 *
 * <p>An empty clause is refused because OR over nothing is ambiguous (istio/ztunnel treats it as
 * true, logic says false); a rule that should impose no condition simply has fewer clauses.
 *
 * @param matches alternatives, OR-ed
 */
public record Clause(List<Match> matches) {

    public Clause {
        matches = List.copyOf(matches);
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("a clause needs at least one match; drop the clause instead");
        }
    }

    public static Clause of(Match... matches) {
        return new Clause(List.of(matches));
    }

    public boolean matches(ConnectionContext context) {
        return matches(MatchInput.of(context));
    }

    boolean matches(MatchInput in) {
        for (int i = 0; i < matches.size(); i++) {
            if (matches.get(i).matches(in)) {
                return true;
            }
        }
        return false;
    }
}
