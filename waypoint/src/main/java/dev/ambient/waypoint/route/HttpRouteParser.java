package dev.ambient.waypoint.route;

import dev.ambient.waypoint.ratelimit.RateLimit;
import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.IstioSpec;
import dev.ambient.ztunnel.config.ParseResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Gateway API {@code HTTPRoute} attached to Services ({@code parentRefs} of kind Service, as
 * the mesh profile of the Gateway API has it): path, header and method matches, the
 * RequestHeaderModifier filter, weighted Service {@code backendRefs}, the request timeout and retry,
 * and a local rate limit from annotations ({@link RateLimit}). Routes
 * whose parents are Gateways belong to ingress and are skipped. Anything else is an error naming the
 * field, so a route is never applied with part of its meaning missing. Never throws.
 */
public final class HttpRouteParser {

    /** A route and the services (full hostnames) it is attached to. */
    public record ParsedRoute(String key, List<String> services, List<RouteRule> rules) {
        public ParsedRoute {
            services = List.copyOf(services);
            rules = List.copyOf(rules);
        }
    }

    public static final String KIND = "HTTPRoute";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(h|ms|m|s)");

    private final String clusterDomain;

    public HttpRouteParser(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    public ParseResult<ParsedRoute> parse(GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata() == null ? new ObjectMeta() : resource.getMetadata();
        String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
        String key = namespace + "/" + meta.getName();
        Diagnostics d = Diagnostics.forSubject(KIND + " " + key);
        FieldReader spec = IstioSpec.of(resource, d);
        List<String> services = new ArrayList<>();
        for (FieldReader parent : spec.objects("parentRefs")) {
            String kind = parent.string("kind").orElse("Gateway");
            if (kind.equals("Service") && parent.string("group").orElse("").isEmpty()) {
                parent.string("name").ifPresentOrElse(
                        name -> services.add(host(name, parent.string("namespace").orElse(namespace))),
                        () -> parent.error("name", "is required"));
            }
        }
        if (services.isEmpty()) {
            return d.skipped(); // an ingress route: none of the waypoint's business
        }
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        Optional<RateLimit> limit = RateLimit.fromAnnotations(annotations,
                (name, message) -> d.error("metadata.annotations[" + name + "]", message));
        List<RouteRule> rules = new ArrayList<>();
        for (FieldReader rule : spec.objects("rules")) {
            rules.add(rule(key + "#" + rules.size(), namespace, rule, limit));
        }
        if (d.hasErrors()) {
            return ParseResult.errors(d.errors(), d.warnings());
        }
        return d.result(new ParsedRoute(key, services, rules.isEmpty()
                ? List.of(new RouteRule(key + "#0", List.of(), List.of(), Map.of(), Map.of(), List.of(), Optional.empty(),
                        Optional.empty(),
                        Optional.empty(), limit))
                : rules));
    }

    private RouteRule rule(String key, String namespace, FieldReader rule, Optional<RateLimit> limit) {
        known(rule, List.of("name", "matches", "filters", "backendRefs", "timeouts", "retry"));
        List<RouteMatch> matches = new ArrayList<>();
        for (FieldReader m : rule.objects("matches")) {
            matches.add(match(m));
        }
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> add = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        for (FieldReader filter : rule.objects("filters")) {
            String type = filter.string("type").orElse("");
            if (!type.equals("RequestHeaderModifier")) {
                filter.error("type", Diagnostics.quote(type) + " is not supported by the waypoint yet"
                        + " (supported: RequestHeaderModifier)");
                continue;
            }
            filter.object("requestHeaderModifier").ifPresent(mod -> {
                mod.objects("set").forEach(h -> header(h, set));
                mod.objects("add").forEach(h -> header(h, add));
                mod.scalars("remove").forEach(s -> remove.add(s.text().toLowerCase(Locale.ROOT)));
            });
        }
        List<Backend> backends = new ArrayList<>();
        for (FieldReader ref : rule.objects("backendRefs")) {
            String kind = ref.string("kind").orElse("Service");
            Optional<String> port = ref.scalar("port");
            Optional<String> name = ref.string("name");
            if (!kind.equals("Service") || name.isEmpty() || port.isEmpty() || !port.get().matches("\\d{1,5}")) {
                ref.error("", "a backendRef must name a Service and its port");
                continue;
            }
            int weight = ref.scalar("weight").filter(w -> w.matches("\\d{1,7}")).map(Integer::parseInt).orElse(1);
            backends.add(new Backend(host(name.get(), ref.string("namespace").orElse(namespace)),
                    Integer.parseInt(port.get()), weight));
        }
        Optional<FieldReader> timeouts = rule.object("timeouts");
        timeouts.ifPresent(t -> known(t, List.of("request", "backendRequest")));
        Optional<Duration> timeout = timeouts.flatMap(t -> timeout(t, "request"));
        Optional<Duration> attempt = timeouts.flatMap(t -> timeout(t, "backendRequest"));
        if (timeout.isPresent() && attempt.isPresent() && attempt.get().compareTo(timeout.get()) > 0) {
            timeouts.get().error("backendRequest", "must not be longer than request, which bounds every attempt");
        }
        Optional<RetryPolicy> retry = rule.object("retry").map(HttpRouteParser::retry);
        return new RouteRule(key, matches, backends, set, add, remove, timeout, attempt, retry, limit);
    }

    private static Optional<Duration> timeout(FieldReader timeouts, String key) {
        return timeouts.string(key).flatMap(text -> {
            Optional<Duration> parsed = duration(text);
            if (parsed.isEmpty()) {
                timeouts.error(key, Diagnostics.quote(text) + " is not a Gateway API duration such as 500ms or 1m30s");
            }
            return parsed;
        });
    }

    /** {@code retry: {attempts: 2, codes: [503], backoff: 100ms}}; codes must be 5xx, attempts 0-10. */
    private static RetryPolicy retry(FieldReader r) {
        known(r, List.of("attempts", "codes", "backoff"));
        int attempts = r.scalar("attempts").filter(a -> a.matches("\\d{1,2}")).map(Integer::parseInt).orElse(1);
        if (attempts > 10) {
            r.error("attempts", "at most 10 retries");
            attempts = 10;
        }
        Set<Integer> codes = new LinkedHashSet<>();
        for (FieldReader.Scalar c : r.scalars("codes")) {
            if (c.text().matches("5\\d\\d")) {
                codes.add(Integer.parseInt(c.text()));
            } else {
                r.error("codes", Diagnostics.quote(c.text()) + " is not a 5xx code");
            }
        }
        Duration backoff = r.string("backoff").flatMap(HttpRouteParser::duration).orElse(Duration.ofMillis(25));
        return new RetryPolicy(attempts, codes, backoff);
    }

    private static RouteMatch match(FieldReader m) {
        known(m, List.of("path", "headers", "method"));
        Optional<RouteMatch.PathMatch> path = m.object("path").map(p -> {
            String type = p.string("type").orElse("PathPrefix");
            String value = p.string("value").orElse("/");
            if (!type.equals("Exact") && !type.equals("PathPrefix")) {
                p.error("type", Diagnostics.quote(type) + " is not supported (Exact or PathPrefix)");
            }
            if (!value.startsWith("/")) {
                p.error("value", "must start with /");
            }
            return new RouteMatch.PathMatch(type.equals("Exact"), value);
        });
        Map<String, String> headers = new LinkedHashMap<>();
        for (FieldReader h : m.objects("headers")) {
            if (!h.string("type").orElse("Exact").equals("Exact")) {
                h.error("type", "only Exact header matches are supported");
            }
            header(h, headers);
        }
        return new RouteMatch(path, headers, m.string("method"));
    }

    private static void header(FieldReader h, Map<String, String> into) {
        Optional<String> name = h.string("name");
        Optional<String> value = h.string("value");
        if (name.isEmpty() || value.isEmpty()) {
            h.error("", "a header needs a name and a value");
        } else if (value.get().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            h.error("value", "must not contain CR, LF or NUL");
        } else {
            into.put(name.get().toLowerCase(Locale.ROOT), value.get());
        }
    }

    private static void known(FieldReader reader, List<String> fields) {
        for (String key : reader.keys()) {
            if (!fields.contains(key)) {
                reader.error(key, "is not supported by the waypoint yet");
            }
        }
    }

    /** Gateway API durations: one or more of {@code <n>h}, {@code <n>m}, {@code <n>s}, {@code <n>ms}. */
    public static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        return end == text.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    private String host(String service, String namespace) {
        return service + "." + namespace + ".svc." + clusterDomain;
    }
}
