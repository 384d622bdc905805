package dev.ambient.waypoint.authz;

import dev.ambient.ztunnel.authz.AuthorizationPolicyParser;
import dev.ambient.ztunnel.authz.StringMatch;
import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.IstioSpec;
import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.state.Waypoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the AuthorizationPolicies a waypoint enforces: those of its namespace whose
 * {@code targetRefs} name its Gateway (the whole waypoint) or Services (requests for them). Policies
 * with a workload selector are ztunnel's and are skipped here. Fields a waypoint cannot evaluate yet
 * reject the policy with an error naming them, rather than enforcing a weaker rule than written.
 * Never throws for malformed content.
 */
public final class L7PolicyParser {

    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
    private static final Set<String> SOURCE_FIELDS = Set.of("principals", "notPrincipals", "namespaces",
            "notNamespaces");
    private static final Set<String> OPERATION_FIELDS = Set.of("methods", "notMethods", "paths", "notPaths", "hosts",
            "notHosts");

    private final Waypoint waypoint;
    private final String clusterDomain;

    public L7PolicyParser(Waypoint waypoint, String clusterDomain) {
        this.waypoint = waypoint;
        this.clusterDomain = clusterDomain;
    }

    public ParseResult<L7Policy> parse(GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata() == null ? new ObjectMeta() : resource.getMetadata();
        String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
        String key = namespace + "/" + meta.getName();
        Diagnostics d = Diagnostics.forSubject("AuthorizationPolicy " + key);
        if (!namespace.equals(waypoint.namespace())) {
            return d.skipped();
        }
        FieldReader spec = IstioSpec.of(resource, d);
        List<FieldReader> refs = new ArrayList<>(spec.objects("targetRefs"));
        spec.object("targetRef").ifPresent(refs::add);
        if (refs.isEmpty()) {
            return d.skipped(); // a selector (or namespace-wide) policy: enforced by ztunnel
        }
        boolean whole = false;
        Set<String> services = new LinkedHashSet<>();
        for (FieldReader ref : refs) {
            String kind = ref.string("kind").orElse("");
            String name = ref.string("name").orElse("");
            String group = ref.string("group").orElse("");
            if (kind.equals("Gateway") && group.equals(GATEWAY_GROUP) && name.equals(waypoint.name())) {
                whole = true;
            } else if (kind.equals("Service") && group.isEmpty() && !name.isEmpty()) {
                services.add(name + "." + namespace + ".svc." + clusterDomain);
            }
        }
        if (!whole && services.isEmpty()) {
            return d.skipped(); // attached to another gateway
        }
        String actionText = spec.string("action").orElse("ALLOW");
        L7Policy.Action action = switch (actionText) {
            case "ALLOW" -> L7Policy.Action.ALLOW;
            case "DENY" -> L7Policy.Action.DENY;
            default -> {
                spec.error("action", Diagnostics.quote(actionText) + " is not supported by the waypoint; use ALLOW or DENY");
                yield L7Policy.Action.ALLOW;
            }
        };
        List<L7Rule> rules = new ArrayList<>();
        for (FieldReader rule : spec.objects("rules")) {
            rules.add(rule(rule));
        }
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        boolean dryRun = "true".equals(annotations.get(AuthorizationPolicyParser.DRY_RUN_ANNOTATION));
        if (d.hasErrors()) {
            return ParseResult.errors(d.errors(), d.warnings());
        }
        return d.result(new L7Policy(key, action, dryRun, whole ? Set.of() : services, rules));
    }

    private static L7Rule rule(FieldReader rule) {
        unsupported(rule, Set.of("from", "to"), "rules[] fields");
        List<L7Rule.Source> from = new ArrayList<>();
        for (FieldReader f : rule.objects("from")) {
            f.object("source").ifPresent(s -> {
                unsupported(s, SOURCE_FIELDS, "source fields");
                from.add(new L7Rule.Source(patterns(s, "principals", false), patterns(s, "notPrincipals", false),
                        patterns(s, "namespaces", false), patterns(s, "notNamespaces", false)));
            });
        }
        List<L7Rule.Operation> to = new ArrayList<>();
        for (FieldReader t : rule.objects("to")) {
            t.object("operation").ifPresent(o -> {
                unsupported(o, OPERATION_FIELDS, "operation fields");
                to.add(new L7Rule.Operation(patterns(o, "methods", false), patterns(o, "notMethods", false),
                        paths(o, "paths"), paths(o, "notPaths"), patterns(o, "hosts", true),
                        patterns(o, "notHosts", true)));
            });
        }
        return new L7Rule(from, to);
    }

    /** Anything but {@code known} is an error: a rule partly understood would match more than written. */
    private static void unsupported(FieldReader reader, Set<String> known, String what) {
        for (String key : reader.keys()) {
            if (!known.contains(key)) {
                reader.error(key, "is not supported by the waypoint yet (supported " + what + ": "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static List<StringMatch> patterns(FieldReader reader, String key, boolean lowerCase) {
        return reader.scalars(key).stream()
                .map(s -> StringMatch.parse(lowerCase ? s.text().toLowerCase(Locale.ROOT) : s.text())).toList();
    }

    /** Paths compare with the normalized request path, so a pattern must itself be in that form. */
    private static List<StringMatch> paths(FieldReader reader, String key) {
        List<StringMatch> out = new ArrayList<>();
        for (FieldReader.Scalar s : reader.scalars(key)) {
            StringMatch m = StringMatch.parse(s.text());
            if ((m.kind() == StringMatch.Kind.EXACT || m.kind() == StringMatch.Kind.PREFIX) && !m.value().startsWith("/")) {
                reader.error(key, Diagnostics.quote(s.text()) + " must start with / (or be * or *suffix)");
            }
            out.add(m);
        }
        return out;
    }
}
