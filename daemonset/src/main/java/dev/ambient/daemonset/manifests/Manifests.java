package dev.ambient.daemonset.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The manifests an operator applies, rendered for one cluster: the mesh's namespace, the image of
 * the agent and the CA, and the trust domain. Values are checked before they are put in, so a typo
 * cannot produce YAML that means something else.
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

    public static String render(Values v) {
        List<String> problems = problems(v);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return template().replace("{{NAMESPACE}}", v.namespace()).replace("{{IMAGE}}", v.image())
                .replace("{{TRUST_DOMAIN}}", v.trustDomain());
    }

    private static String template() {
        try (InputStream in = Manifests.class.getResourceAsStream("/manifests/ambient.yaml")) {
            if (in == null) {
                throw new IllegalStateException("BUG: manifests/ambient.yaml is missing from the daemonset jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
