package dev.ambient.ztunnel.state;

import dev.ambient.ztunnel.identity.SpiffeId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which waypoint, if any, serves a destination, as Istio decides it: {@code istio.io/use-waypoint}
 * on the service (for traffic addressed to the service) or on the pod (for traffic addressed to the
 * pod) wins over the same label on their namespace, {@code #none} opts out, and the waypoint must take
 * that kind of traffic ({@code istio.io/waypoint-for}). A waypoint's own pods are never bound to one.
 * A label naming a waypoint that is not declared binds to it all the same, with no pods: traffic is
 * refused rather than let past the L7 policy it was meant to meet.
 */
final class WaypointBindings {

    private final Map<String, MeshNamespace> namespaces;
    private final Map<String, Waypoint> waypoints = new HashMap<>();
    private final Map<String, List<Workload>> endpoints = new HashMap<>();
    private final Map<String, Set<SpiffeId>> identities = new HashMap<>();

    WaypointBindings(Map<String, MeshNamespace> namespaces, List<Waypoint> declared, List<Workload> workloads) {
        this.namespaces = namespaces;
        for (Waypoint w : declared) {
            waypoints.putIfAbsent(w.key(), w);
            endpoints.put(w.key(), workloads.stream().filter(p -> p.ready() && w.runsAs(p))
                    .sorted(Comparator.comparing(Workload::key)).toList());
            identities.put(w.key(), workloads.stream().filter(w::runsAs).map(Workload::identity)
                    .collect(Collectors.toUnmodifiableSet()));
        }
    }

    Optional<Waypoint> forService(MeshService service) {
        return bound(service.namespace(), service.labels()).filter(w -> w.takes().services());
    }

    Optional<Waypoint> forWorkload(Workload workload) {
        if (isWaypointPod(workload)) {
            return Optional.empty();
        }
        return bound(workload.namespace(), workload.labels()).filter(w -> w.takes().workloads());
    }

    Optional<Waypoint> waypoint(String namespace, String name) {
        return Optional.ofNullable(waypoints.get(namespace + "/" + name));
    }

    /** The waypoint's ready pods, in a stable order. */
    List<Workload> endpoints(Waypoint waypoint) {
        return endpoints.getOrDefault(waypoint.key(), List.of());
    }

    /** Who the waypoint's pods are (ready or not: a draining pod still delivers what it accepted). */
    Set<SpiffeId> identities(Waypoint waypoint) {
        return identities.getOrDefault(waypoint.key(), Set.of());
    }

    boolean isWaypointPod(Workload workload) {
        return waypoints.values().stream().anyMatch(w -> w.runsAs(workload));
    }

    private Optional<Waypoint> bound(String namespace, Map<String, String> labels) {
        String own = labels.get(MeshLabels.USE_WAYPOINT);
        if (own != null) {
            return lookup(own, labels.getOrDefault(MeshLabels.USE_WAYPOINT_NAMESPACE, namespace));
        }
        MeshNamespace ns = namespaces.get(namespace);
        if (ns == null || !ns.labels().containsKey(MeshLabels.USE_WAYPOINT)) {
            return Optional.empty();
        }
        return lookup(ns.labels().get(MeshLabels.USE_WAYPOINT),
                ns.labels().getOrDefault(MeshLabels.USE_WAYPOINT_NAMESPACE, namespace));
    }

    private Optional<Waypoint> lookup(String name, String namespace) {
        if (name.isBlank() || Waypoint.OPT_OUT.equals(name)) {
            return Optional.empty();
        }
        return waypoint(namespace, name).or(() -> Optional.of(new Waypoint(name, namespace, Waypoint.Takes.ALL)));
    }
}
