package dev.ambient.ztunnel.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ambient.ztunnel.authz.Policy;
import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin {@code /config_dump}: what this proxy believes right now (workloads, services, policies,
 * certificates with their expiry, pooled tunnels), so an operator can answer "why was this
 * connection denied / not tunnelled" without a debugger.
 */
public final class ConfigDump {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigDump() {}

    public static String render(String node, MeshSnapshot snapshot, List<WorkloadCertificate> certificates,
            List<HbonePool.Stats> pool, Instant now) {
        return render(node, snapshot, certificates, pool, now, Map.of());
    }

    /** The same with {@code extra} sections (a waypoint's routes and policies) added at the end. */
    public static String render(String node, MeshSnapshot snapshot, List<WorkloadCertificate> certificates,
            List<HbonePool.Stats> pool, Instant now, Map<String, Object> extra) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("node", node);
        root.put("stateVersion", snapshot.version());
        root.put("loadedAt", snapshot.loadedAt().toString());
        root.put("workloads", snapshot.workloads().stream().map(w -> workload(w, snapshot)).toList());
        root.put("services", snapshot.services().stream().map(s -> service(s, snapshot)).toList());
        root.put("waypoints", snapshot.waypoints().stream().map(w -> waypoint(w, snapshot)).toList());
        root.put("policies", snapshot.policies().stream().map(ConfigDump::policy).toList());
        root.put("peerAuthentications", snapshot.peerAuthentications().all());
        root.put("rejected", snapshot.rejected());
        root.put("certificates", certificates.stream().map(c -> certificate(c, now)).toList());
        root.put("hbonePool", pool);
        root.putAll(extra);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException("BUG: config dump is not serializable", e);
        }
    }

    private static Map<String, Object> workload(Workload w, MeshSnapshot snapshot) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", w.name());
        out.put("namespace", w.namespace());
        out.put("node", w.node());
        out.put("address", w.ip().getHostAddress());
        out.put("identity", w.identity().toString());
        out.put("protocol", w.protocol().name());
        out.put("ready", w.ready());
        out.put("labels", w.labels());
        snapshot.waypointForWorkload(w).ifPresent(wp -> out.put("waypoint", wp.key()));
        return out;
    }

    private static Map<String, Object> service(MeshService s, MeshSnapshot snapshot) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hostname", s.hostname(snapshot.clusterDomain()));
        out.put("vip", s.vip().getHostAddress());
        out.put("ports", s.ports());
        out.put("selector", s.selector());
        out.put("readyEndpoints", snapshot.readyEndpoints(s).stream().map(Workload::key).toList());
        snapshot.waypointForService(s).ifPresent(w -> out.put("waypoint", w.key()));
        return out;
    }

    private static Map<String, Object> waypoint(Waypoint w, MeshSnapshot snapshot) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", w.key());
        out.put("for", w.takes().name().toLowerCase(Locale.ROOT));
        out.put("readyPods", snapshot.waypointEndpoints(w).stream().map(Workload::key).toList());
        out.put("identities", snapshot.waypointIdentities(w).stream().map(Object::toString).sorted().toList());
        return out;
    }

    private static Map<String, Object> policy(Policy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.key());
        out.put("scope", p.scope().name());
        out.put("action", p.action().name());
        out.put("dryRun", p.dryRun());
        out.put("selector", p.selector());
        out.put("rules", p.rules().stream().map(Object::toString).toList());
        return out;
    }

    private static Map<String, Object> certificate(WorkloadCertificate c, Instant now) {
        X509Certificate leaf = c.leaf();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("identity", c.identity().toString());
        out.put("serial", leaf.getSerialNumber().toString(16));
        out.put("notBefore", c.notBefore().toString());
        out.put("notAfter", c.notAfter().toString());
        out.put("refreshAt", c.refreshAt().toString());
        out.put("secondsToExpiry", Math.max(0, c.notAfter().getEpochSecond() - now.getEpochSecond()));
        out.put("issuer", leaf.getIssuerX500Principal().getName());
        return out;
    }
}
