package dev.ambient.daemonset.manifests;

import dev.ambient.ztunnel.config.Flags;
import java.util.Set;

/** {@code mesh manifests [--namespace NS] [--image IMAGE] [--trust-domain TD]}: prints them, ready for kubectl apply -f -. */
public final class ManifestsMain {

    private ManifestsMain() {}

    public static void main(String[] args) {
        Flags flags = Flags.parse(args, Set.of("namespace", "image", "trust-domain"), Set.of());
        Manifests.Values d = Manifests.Values.DEFAULTS;
        Manifests.Values values = new Manifests.Values(flags.get("namespace").orElse(d.namespace()),
                flags.get("image").orElse(d.image()), flags.get("trust-domain").orElse(d.trustDomain()));
        flags.errors().forEach(e -> System.err.println("mesh manifests: " + e));
        Manifests.problems(values).forEach(e -> System.err.println("mesh manifests: " + e));
        if (!flags.errors().isEmpty() || !Manifests.problems(values).isEmpty()) {
            System.err.println("usage: mesh manifests [--namespace ambient-system] [--image IMAGE] "
                    + "[--trust-domain cluster.local]");
            System.exit(2);
        }
        System.out.print(Manifests.render(values));
    }
}
