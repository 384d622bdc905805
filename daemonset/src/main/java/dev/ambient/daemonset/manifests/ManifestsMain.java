package dev.ambient.daemonset.manifests;

import dev.ambient.ztunnel.config.Flags;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code mesh manifests [--namespace NS] [--image IMAGE] [--trust-domain TD] [--waypoint NS/NAME]}:
 * prints the mesh's manifests, or with {@code --waypoint} those of one waypoint, ready for
 * {@code kubectl apply -f -}.
 */
public final class ManifestsMain {

    private ManifestsMain() {}

    public static void main(String[] args) {
        Flags flags = Flags.parse(args, Set.of("namespace", "image", "trust-domain", "waypoint"), Set.of());
        Manifests.Values d = Manifests.Values.DEFAULTS;
        Manifests.Values values = new Manifests.Values(flags.get("namespace").orElse(d.namespace()),
                flags.get("image").orElse(d.image()), flags.get("trust-domain").orElse(d.trustDomain()));
        Optional<String> waypoint = flags.get("waypoint");
        List<String> problems = waypoint.map(w -> Manifests.waypointProblems(values, w))
                .orElseGet(() -> Manifests.problems(values));
        flags.errors().forEach(e -> System.err.println("mesh manifests: " + e));
        problems.forEach(e -> System.err.println("mesh manifests: " + e));
        if (!flags.errors().isEmpty() || !problems.isEmpty()) {
            System.err.println("usage: mesh manifests [--namespace ambient-system] [--image IMAGE] "
                    + "[--trust-domain cluster.local] [--waypoint NAMESPACE/NAME]");
            System.exit(2);
        }
        System.out.print(waypoint.map(w -> Manifests.renderWaypoint(values, w)).orElseGet(() -> Manifests.render(values)));
    }
}
