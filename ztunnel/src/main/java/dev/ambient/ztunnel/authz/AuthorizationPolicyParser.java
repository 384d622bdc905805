package dev.ambient.ztunnel.authz;

import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.IstioSpec;
import dev.ambient.ztunnel.config.ParseResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Converts an Istio {@code AuthorizationPolicy} ({@code security.istio.io/v1} or {@code v1beta1})
 * into the L4 {@link Policy} ztunnel enforces, with the semantics istiod uses when it converts
 * policies for ztunnel.
 *
 * <p>It sits at a trust boundary (anyone allowed to write policies in a namespace controls the
 * input), so it never throws for bad input: one policy's problems reject that policy only, all of
 * them are reported at once, and each message names the policy and the field path. Policies that
 * are valid but not enforced at L4 ({@code action: AUDIT}, policies bound to a waypoint with
 * {@code targetRef(s)}) come back {@linkplain ParseResult#isSkipped() skipped} with a warning.
 *
 * <p>Scope: a {@code selector.matchLabels} makes a {@link Policy.Scope#WORKLOAD_SELECTOR} policy,
 * no selector in the root namespace a {@link Policy.Scope#GLOBAL} one, otherwise
 * {@link Policy.Scope#NAMESPACE}. The {@value #DRY_RUN_ANNOTATION} annotation makes a dry-run policy.
 */
public final class AuthorizationPolicyParser {
    /** Istio's annotation for report-only policies. */
    public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";

    private static final String GROUP = "security.istio.io/";
    private static final Set<String> API_VERSIONS = Set.of(GROUP + "v1", GROUP + "v1beta1");
    private static final String KIND = "AuthorizationPolicy";

    private final String rootNamespace;

    /** @param rootNamespace the mesh root namespace, whose selector-less policies are mesh-wide */
    public AuthorizationPolicyParser(String rootNamespace) {
        this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
    }

    /** A parser for the default root namespace, {@value Authorizer#DEFAULT_ROOT_NAMESPACE}. */
    public static AuthorizationPolicyParser withDefaultRootNamespace() {
        return new AuthorizationPolicyParser(Authorizer.DEFAULT_ROOT_NAMESPACE);
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /** Parses one resource; never throws for malformed content. */
    public ParseResult<Policy> parse(GenericKubernetesResource resource) {
        Objects.requireNonNull(resource, "resource");
        ObjectMeta meta = resource.getMetadata() == null ? new ObjectMeta() : resource.getMetadata();
        String name = blankToNull(meta.getName());
        String namespace = blankToNull(meta.getNamespace());
        String kind = resource.getKind() == null ? KIND : resource.getKind();
        Diagnostics d = Diagnostics.forSubject(kind + " " + orUnknown(namespace) + "/" + orUnknown(name));

        if (!KIND.equals(resource.getKind()) || !API_VERSIONS.contains(resource.getApiVersion())) {
            d.error("", "expected apiVersion security.istio.io/v1 (or v1beta1) and kind AuthorizationPolicy, got "
                    + Diagnostics.quote(resource.getApiVersion()) + " " + Diagnostics.quote(resource.getKind()));
            return ParseResult.errors(d.errors());
        }
        if (name == null) {
            d.error("metadata.name", "is required");
        }
        if (namespace == null) {
            d.error("metadata.namespace", "is required");
        }
        FieldReader spec = IstioSpec.of(resource, d);

        if (spec.hasContent("targetRef") || spec.hasContent("targetRefs")) {
            d.warn(spec.path(spec.hasContent("targetRefs") ? "targetRefs" : "targetRef"),
                    "binds the policy to a waypoint (Gateway or Service): the waypoint enforces it, not ztunnel");
            return d.skipped();
        }

        String actionText = spec.string("action").orElse("ALLOW");
        Policy.Action action;
        switch (actionText) {
            case "ALLOW" -> action = Policy.Action.ALLOW;
            case "DENY" -> action = Policy.Action.DENY;
            case "AUDIT" -> {
                d.warn(spec.path("action"), "AUDIT only marks requests for audit logging by an HTTP proxy; it has "
                        + "no effect at L4, so ztunnel ignores this policy");
                return d.skipped();
            }
            case "CUSTOM" -> {
                d.error(spec.path("action"), "CUSTOM (external authorization) is not supported by ztunnel; "
                        + "bind the policy to a waypoint with targetRefs to enforce it");
                return ParseResult.errors(d.errors(), d.warnings());
            }
            default -> {
                d.error(spec.path("action"), Diagnostics.quote(actionText)
                        + " is not an action; expected ALLOW, DENY, AUDIT or CUSTOM");
                return ParseResult.errors(d.errors(), d.warnings());
            }
        }

        Map<String, String> selector = IstioSpec.matchLabels(spec);
        boolean dryRun = dryRun(meta, d);

        List<Rule> rules = new ArrayList<>();
        RuleConverter converter = new RuleConverter(action, namespace == null ? "" : namespace);
        List<FieldReader> ruleReaders = spec.objects("rules");
        for (FieldReader rule : ruleReaders) {
            converter.convert(rule).ifPresent(rules::add);
        }
        if (action == Policy.Action.DENY && ruleReaders.isEmpty() && !d.hasErrors()) {
            d.warn(spec.path("rules"), "a DENY policy without rules matches nothing and has no effect");
        }

        if (d.hasErrors()) {
            return ParseResult.errors(d.errors(), d.warnings());
        }
        Policy.Scope scope = !selector.isEmpty() ? Policy.Scope.WORKLOAD_SELECTOR
                : namespace.equals(rootNamespace) ? Policy.Scope.GLOBAL
                : Policy.Scope.NAMESPACE;
        return d.result(new Policy(name, namespace, scope, selector, action, rules, dryRun));
    }

    private static boolean dryRun(ObjectMeta meta, Diagnostics d) {
        Map<String, String> annotations = meta.getAnnotations();
        String value = annotations == null ? null : annotations.get(DRY_RUN_ANNOTATION);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        d.error("metadata.annotations[" + DRY_RUN_ANNOTATION + "]",
                Diagnostics.quote(value) + " is not a boolean (true or false)");
        return false;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String orUnknown(String value) {
        return value == null ? "<unnamed>" : value;
    }
}
