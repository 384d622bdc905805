package dev.ambient.ztunnel.state;

import dev.ambient.ztunnel.authz.Authorizer;
import dev.ambient.ztunnel.authz.Policy;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.peerauth.PeerAuthentications;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the data plane knows at one instant, never modified after it is built. A connection
 * reads one snapshot from start to end, so a reload can never show it half of an old state and half
 * of a new one.
 */
public final class MeshSnapshot {

    private final long version;
    private final Instant loadedAt;
    private final String clusterDomain;
    private final Map<String, MeshNamespace> namespaces;
    private final List<Workload> workloads;
    private final List<MeshService> services;
    private final Authorizer authorizer;
    private final PeerAuthentications peerAuthentications;
    private final List<String> rejected;
    private final Map<InetAddress, Workload> workloadsByIp;
    private final Map<InetAddress, MeshService> servicesByVip;
    private final Map<String, MeshService> servicesByHost;
    private final Map<String, List<Workload>> readyEndpoints;
    private final List<Waypoint> waypoints;
    private final List<GenericKubernetesResource> waypointConfig;
    private final WaypointBindings waypointBindings;

    private MeshSnapshot(long version, Instant loadedAt, String clusterDomain, List<MeshNamespace> namespaces,
            List<Workload> workloads, List<MeshService> services, List<Waypoint> waypoints,
            List<GenericKubernetesResource> waypointConfig, Authorizer authorizer,
            PeerAuthentications peerAuthentications, List<String> rejected) {
        this.version = version;
        this.loadedAt = loadedAt;
        this.clusterDomain = clusterDomain;
        Map<String, MeshNamespace> ns = new LinkedHashMap<>();
        namespaces.forEach(n -> ns.put(n.name(), n));
        this.namespaces = Map.copyOf(ns);
        this.workloads = List.copyOf(workloads);
        this.services = List.copyOf(services);
        this.authorizer = authorizer;
        this.peerAuthentications = peerAuthentications;
        this.rejected = List.copyOf(rejected);
        Map<InetAddress, Workload> byIp = new HashMap<>();
        for (Workload w : workloads) {
            // Host-network pods share the node address; it identifies no single workload.
            if (!w.hostNetwork()) {
                byIp.putIfAbsent(w.ip(), w);
            }
        }
        this.workloadsByIp = Map.copyOf(byIp);
        Map<InetAddress, MeshService> byVip = new HashMap<>();
        Map<String, MeshService> byHost = new HashMap<>();
        Map<String, List<Workload>> endpoints = new HashMap<>();
        for (MeshService s : services) {
            byVip.putIfAbsent(s.vip(), s);
            for (String host : List.of(s.name() + "." + s.namespace(), s.name() + "." + s.namespace() + ".svc",
                    s.hostname(clusterDomain))) {
                byHost.putIfAbsent(host, s);
            }
            List<Workload> ready = new ArrayList<>();
            for (Workload w : workloads) {
                if (w.ready() && s.selects(w)) {
                    ready.add(w);
                }
            }
            endpoints.put(s.key(), List.copyOf(ready));
        }
        this.servicesByVip = Map.copyOf(byVip);
        this.servicesByHost = Map.copyOf(byHost);
        this.readyEndpoints = Map.copyOf(endpoints);
        this.waypoints = List.copyOf(waypoints);
        this.waypointConfig = List.copyOf(waypointConfig);
        this.waypointBindings = new WaypointBindings(this.namespaces, this.waypoints, this.workloads);
    }

    /** Builds a snapshot; later duplicates (same IP or VIP) must already have been rejected by the caller. */
    public static MeshSnapshot of(long version, Instant loadedAt, String clusterDomain, List<MeshNamespace> namespaces,
            List<Workload> workloads, List<MeshService> services, List<Waypoint> waypoints,
            List<GenericKubernetesResource> waypointConfig, Authorizer authorizer,
            PeerAuthentications peerAuthentications, List<String> rejected) {
        return new MeshSnapshot(version, loadedAt, clusterDomain, namespaces, workloads, services, waypoints,
                waypointConfig, authorizer, peerAuthentications, rejected);
    }

    /** The state before anything was loaded: no workloads, so nothing is proxied and readiness stays false. */
    public static MeshSnapshot empty(String clusterDomain) {
        return new MeshSnapshot(0, Instant.EPOCH, clusterDomain, List.of(), List.of(), List.of(), List.of(), List.of(),
                Authorizer.empty(Authorizer.DEFAULT_ROOT_NAMESPACE), PeerAuthentications.none(), List.of());
    }

    public long version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public String clusterDomain() {
        return clusterDomain;
    }

    public Map<String, MeshNamespace> namespaces() {
        return namespaces;
    }

    public List<Workload> workloads() {
        return workloads;
    }

    public List<MeshService> services() {
        return services;
    }

    public List<Policy> policies() {
        return authorizer.policies();
    }

    /** Whether plaintext may reach a workload (Istio PeerAuthentication). */
    public PeerAuthentications peerAuthentications() {
        return peerAuthentications;
    }

    /** L4 authorization over this snapshot's policies, evaluated at the destination. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** One line per object that was rejected, naming it and what is wrong with it. */
    public List<String> rejected() {
        return rejected;
    }

    public Optional<Workload> workload(InetAddress ip) {
        return Optional.ofNullable(workloadsByIp.get(ip));
    }

    public Optional<MeshService> service(InetAddress vip) {
        return Optional.ofNullable(servicesByVip.get(vip));
    }

    /** A service by {@code name.ns}, {@code name.ns.svc} or its full cluster hostname. */
    public Optional<MeshService> serviceByHost(String host) {
        return Optional.ofNullable(servicesByHost.get(host));
    }

    /** Ready endpoints of a service, in a stable order (round robin indexes into this list). */
    public List<Workload> readyEndpoints(MeshService service) {
        return readyEndpoints.getOrDefault(service.key(), List.of());
    }

    /** The services that select {@code workload}, for telemetry's destination_service. */
    public List<MeshService> servicesOf(Workload workload) {
        return services.stream().filter(s -> s.selects(workload)).toList();
    }

    public List<Waypoint> waypoints() {
        return waypoints;
    }

    /**
     * The resources only a waypoint reads (HTTPRoutes, AuthorizationPolicies), as they came: each
     * waypoint parses what is attached to it.
     */
    public List<GenericKubernetesResource> waypointConfig() {
        return waypointConfig;
    }

    /** The waypoint that traffic addressed to {@code service} must pass through, if any. */
    public Optional<Waypoint> waypointForService(MeshService service) {
        return waypointBindings.forService(service);
    }

    /**
     * The waypoint that traffic addressed to {@code workload}'s own IP must pass through, if any; the
     * same waypoint is the only peer the workload's node accepts tunnels to it from.
     */
    public Optional<Waypoint> waypointForWorkload(Workload workload) {
        return waypointBindings.forWorkload(workload);
    }

    /** A waypoint's ready pods, in a stable order; none for a waypoint that is named but not declared. */
    public List<Workload> waypointEndpoints(Waypoint waypoint) {
        return waypointBindings.endpoints(waypoint);
    }

    /** The identities a waypoint's pods prove. */
    public Set<SpiffeId> waypointIdentities(Waypoint waypoint) {
        return waypointBindings.identities(waypoint);
    }

    /** Whether {@code workload} is a pod of some waypoint. */
    public boolean isWaypointPod(Workload workload) {
        return waypointBindings.isWaypointPod(workload);
    }

    /** Workloads scheduled on {@code node}. */
    public List<Workload> workloadsOn(String node) {
        return workloads.stream().filter(w -> w.node().equals(node)).toList();
    }
}
