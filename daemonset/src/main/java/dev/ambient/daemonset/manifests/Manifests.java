package dev.ambient.daemonset.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The manifests an operator applies, rendered for one cluster: the mesh's namespace, the image of
 * the agent, the CA and the waypoints, and the trust domain; and, apart, those of one waypoint.
 * Values are checked before they are put in, so a typo cannot produce YAML that means something else.
 */
public final class Manifests {

    /** What differs between clusters. */
    public record Values(String namespace, String image, String trustDomain) {
        public static final Values DEFAULTS = new Values("ambient-system", "ambient-mesh:0.1.0", "cluster.local");
    }

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}");

    private Manifests() {}

    /** Every value's problem, one line each; empty when they can be rendered. */
    public static List<String> problems(Values v) {
        List<String> out = new ArrayList<>();
        if (!DNS_LABEL.matcher(v.namespace()).matches()) {
            out.add("namespace \"" + v.namespace() + "\" is not a DNS label (lower case letters, digits, '-')");
        }
        if (!IMAGE.matcher(v.image()).matches()) {
            out.add("image \"" + v.image() + "\" is not an image reference such as registry/name:tag");
        }
        if (!TRUST_DOMAIN.matcher(v.trustDomain()).matches()) {
            out.add("trust domain \"" + v.trustDomain() + "\" may hold only lower case letters, digits, '.', '-', '_'");
        }
        return out;
    }

    /** The problems of a waypoint given as {@code namespace/name}, and of the mesh's values. */
    public static List<String> waypointProblems(Values v, String waypoint) {
        List<String> out = new ArrayList<>(problems(v));
        String[] parts = waypoint.split("/", -1);
        if (parts.length != 2 || !DNS_LABEL.matcher(parts[0]).matches() || !DNS_LABEL.matcher(parts[1]).matches()) {
            out.add("waypoint \"" + waypoint + "\" is not NAMESPACE/NAME, each a DNS label (lower case letters, "
                    + "digits, '-')");
        }
        return out;
    }

    /** The mesh: its namespace, accounts, RBAC, settings, the CA and the node agents' DaemonSet. */
    public static String render(Values v) {
        refuse(problems(v));
        return fill(template("ambient.yaml"), v, Map.of());
    }

    /** One waypoint ({@code namespace/name}): its Gateway, account, read access and Deployment. */
    public static String renderWaypoint(Values v, String waypoint) {
        refuse(waypointProblems(v, waypoint));
        String[] parts = waypoint.split("/");
        return fill(template("waypoint.yaml"), v, Map.of("{{WAYPOINT_NAMESPACE}}", parts[0], "{{WAYPOINT}}", parts[1]));
    }

    private static void refuse(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static String fill(String template, Values v, Map<String, String> more) {
        String out = template.replace("{{NAMESPACE}}", v.namespace()).replace("{{IMAGE}}", v.image())
                .replace("{{TRUST_DOMAIN}}", v.trustDomain());
        for (Map.Entry<String, String> e : more.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    private static String template(String file) {
        try (InputStream in = Manifests.class.getResourceAsStream("/manifests/" + file)) {
            if (in == null) {
                throw new IllegalStateException("BUG: manifests/" + file + " is missing from the daemonset jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
