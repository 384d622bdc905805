package dev.ambient.waypoint.circuit;

import dev.ambient.waypoint.outlier.OutlierDetector;
import dev.ambient.waypoint.route.HttpRouteParser;
import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.IstioSpec;
import dev.ambient.ztunnel.config.ParseResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the parts of an Istio {@code DestinationRule} a waypoint applies to a backend:
 * {@code trafficPolicy.connectionPool} ({@code tcp.maxConnections}, {@code http.http1MaxPendingRequests},
 * {@code http.http2MaxRequests}, {@code http.maxRequestsPerConnection}, {@code http.idleTimeout}) and
 * {@code trafficPolicy.outlierDetection} ({@code consecutive5xxErrors}, {@code baseEjectionTime},
 * {@code maxEjectionPercent}). A short {@code host} is the service of that name in the rule's
 * namespace. A value out of range is an error naming the field, so a rule never half applies.
 */
public final class DestinationRuleParser {

    public static final String KIND = "DestinationRule";

    private final String clusterDomain;

    public DestinationRuleParser(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    public ParseResult<BackendPolicy> parse(GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata() == null ? new ObjectMeta() : resource.getMetadata();
        String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
        String key = namespace + "/" + meta.getName();
        Diagnostics d = Diagnostics.forSubject(KIND + " " + key);
        FieldReader spec = IstioSpec.of(resource, d);
        Optional<String> host = spec.string("host");
        if (host.isEmpty()) {
            spec.error("host", "is required");
            return ParseResult.errors(d.errors(), d.warnings());
        }
        String full = host.get().contains(".") ? host.get()
                : host.get() + "." + namespace + ".svc." + clusterDomain;
        Limits defaults = Limits.DEFAULTS;
        OutlierDetector.Settings outlierDefaults = OutlierDetector.Settings.DEFAULTS;
        Optional<FieldReader> policy = spec.object("trafficPolicy");
        Optional<FieldReader> tcp = policy.flatMap(p -> p.object("connectionPool")).flatMap(c -> c.object("tcp"));
        Optional<FieldReader> http = policy.flatMap(p -> p.object("connectionPool")).flatMap(c -> c.object("http"));
        Optional<FieldReader> outlier = policy.flatMap(p -> p.object("outlierDetection"));
        int maxConnections = count(tcp, "maxConnections", 1, defaults.maxConnections());
        int maxPending = count(http, "http1MaxPendingRequests", 0, defaults.maxPendingRequests());
        int maxRequests = count(http, "http2MaxRequests", 1, defaults.maxRequests());
        int perConnection = count(http, "maxRequestsPerConnection", 0, defaults.maxRequestsPerConnection());
        Duration idle = duration(http, "idleTimeout").orElse(defaults.idleTimeout());
        if (idle.isZero() || idle.isNegative()) {
            http.ifPresent(h -> h.error("idleTimeout", "must be longer than 0s"));
        }
        int consecutive = count(outlier, "consecutive5xxErrors", 0, outlierDefaults.consecutiveErrors());
        Duration base = duration(outlier, "baseEjectionTime").orElse(outlierDefaults.baseEjection());
        int percent = count(outlier, "maxEjectionPercent", 0, (int) (outlierDefaults.maxEjectedShare() * 100));
        if (percent > 100) {
            outlier.ifPresent(o -> o.error("maxEjectionPercent", "must be at most 100"));
        }
        if (d.hasErrors()) {
            return ParseResult.errors(d.errors(), d.warnings());
        }
        return d.result(new BackendPolicy(full, key, new Limits(maxConnections, maxPending, maxRequests, perConnection,
                idle),
                new OutlierDetector.Settings(consecutive, base, percent / 100.0)));
    }

    /** A duration such as 30s at {@code key} of {@code object}; an error naming the field when it is not one. */
    private static Optional<Duration> duration(Optional<FieldReader> object, String key) {
        return object.flatMap(o -> o.string(key).flatMap(text -> {
            Optional<Duration> parsed = HttpRouteParser.duration(text);
            if (parsed.isEmpty()) {
                o.error(key, Diagnostics.quote(text) + " is not a duration such as 30s or 1m");
            }
            return parsed;
        }));
    }

    /** A count at {@code key} of {@code object}, at least {@code min}; {@code fallback} when absent. */
    private static int count(Optional<FieldReader> object, String key, int min, int fallback) {
        if (object.isEmpty()) {
            return fallback;
        }
        Optional<String> text = object.get().scalar(key);
        if (text.isEmpty()) {
            return fallback;
        }
        if (!text.get().matches("\\d{1,10}") || Long.parseLong(text.get()) > Integer.MAX_VALUE
                || Long.parseLong(text.get()) < min) {
            object.get().error(key, Diagnostics.quote(text.get()) + " is not a whole number of at least " + min);
            return fallback;
        }
        return Integer.parseInt(text.get());
    }
}
