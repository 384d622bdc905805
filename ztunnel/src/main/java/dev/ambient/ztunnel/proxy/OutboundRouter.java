package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.ServicePort;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves an original destination against a snapshot: a service VIP becomes one of its ready
 * endpoints (round robin), a pod IP becomes that pod, anything else passes through unchanged. When a
 * waypoint serves the service or pod as addressed, the connection goes to one of the waypoint's pods
 * instead, with the original destination as its authority.
 */
public final class OutboundRouter {

    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    public OutboundRoute route(MeshSnapshot snapshot, InetSocketAddress destination) {
        return route(snapshot, destination, true);
    }

    /**
     * The route a waypoint takes to the backend itself: as {@link #route}, but without sending the
     * connection to a waypoint again.
     */
    public OutboundRoute routeFromWaypoint(MeshSnapshot snapshot, InetSocketAddress destination) {
        return route(snapshot, destination, false);
    }

    private OutboundRoute route(MeshSnapshot snapshot, InetSocketAddress destination, boolean waypoints) {
        Optional<MeshService> service = snapshot.service(destination.getAddress());
        if (service.isPresent()) {
            return viaService(snapshot, service.get(), destination, waypoints);
        }
        Optional<Workload> workload = snapshot.workload(destination.getAddress());
        if (workload.isPresent()) {
            Workload w = workload.get();
            String svc = snapshot.servicesOf(w).stream().findFirst()
                    .map(s -> s.hostname(snapshot.clusterDomain())).orElse("");
            Optional<Waypoint> waypoint = waypoints ? snapshot.waypointForWorkload(w) : Optional.empty();
            if (waypoint.isPresent()) {
                return viaWaypoint(snapshot, waypoint.get(), destination, svc, "pod " + w.key());
            }
            return w.inMesh() ? new OutboundRoute.Tunnel(w, destination, svc)
                    : new OutboundRoute.Direct(destination, workload, svc);
        }
        return new OutboundRoute.Direct(destination, Optional.empty(), "");
    }

    private OutboundRoute viaWaypoint(MeshSnapshot snapshot, Waypoint waypoint, InetSocketAddress destination,
            String service, String what) {
        List<Workload> pods = snapshot.waypointEndpoints(waypoint);
        if (pods.isEmpty()) {
            return new OutboundRoute.Refused(what + " uses waypoint " + waypoint.key()
                    + ", which has no ready pod (is its Gateway declared, and its pods labelled "
                    + Waypoint.GATEWAY_NAME_LABEL + "=" + waypoint.name() + "?)");
        }
        int i = Math.floorMod(roundRobin.computeIfAbsent("waypoint " + waypoint.key(), k -> new AtomicInteger())
                .getAndIncrement(), pods.size());
        return new OutboundRoute.ViaWaypoint(waypoint, pods.get(i), destination, service);
    }

    private OutboundRoute viaService(MeshSnapshot snapshot, MeshService service, InetSocketAddress destination,
            boolean waypoints) {
        String host = service.hostname(snapshot.clusterDomain());
        Optional<ServicePort> port = service.port(destination.getPort());
        if (port.isEmpty()) {
            return new OutboundRoute.Refused("service " + host + " has no port " + destination.getPort());
        }
        Optional<Waypoint> waypoint = waypoints ? snapshot.waypointForService(service) : Optional.empty();
        if (waypoint.isPresent()) {
            return viaWaypoint(snapshot, waypoint.get(), destination, host, "service " + host);
        }
        List<Workload> endpoints = snapshot.readyEndpoints(service);
        if (endpoints.isEmpty()) {
            return new OutboundRoute.Refused("service " + host + " has no ready endpoints");
        }
        int start = Math.floorMod(roundRobin.computeIfAbsent(service.key(), k -> new AtomicInteger())
                .getAndIncrement(), endpoints.size());
        // Skip endpoints that do not declare a named target port; each is tried once at most.
        for (int i = 0; i < endpoints.size(); i++) {
            Workload w = endpoints.get((start + i) % endpoints.size());
            int target = port.get().targetOn(w);
            if (target > 0) {
                InetSocketAddress address = new InetSocketAddress(w.ip(), target);
                return w.inMesh() ? new OutboundRoute.Tunnel(w, address, host)
                        : new OutboundRoute.Direct(address, Optional.of(w), host);
            }
        }
        return new OutboundRoute.Refused("no endpoint of service " + host + " declares target port "
                + port.get().targetPortName());
    }
}
