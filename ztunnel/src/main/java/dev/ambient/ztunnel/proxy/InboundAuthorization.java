package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.authz.ConnectionContext;
import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The destination-side policy check of one connection, kept as a value so the same check can be
 * re-run against every later snapshot while the connection lives. A workload served by a waypoint
 * takes connections from that waypoint only, before any policy is consulted.
 *
 * @param peer the verified client identity, empty for plaintext
 * @param sourceIp the client address as seen here
 * @param destination the original destination (pod IP and port)
 * @param workload the destination workload's key, to find its current labels in a later snapshot
 */
record InboundAuthorization(Optional<SpiffeId> peer, InetAddress sourceIp, InetSocketAddress destination,
        String workload) {

    private static final Logger LOG = System.getLogger(InboundAuthorization.class.getName());

    /** Authorizes against {@code snapshot}; dry-run outcomes are logged, never enforced. */
    Decision check(MeshSnapshot snapshot, Workload target) {
        Optional<Waypoint> waypoint = snapshot.waypointForWorkload(target);
        if (waypoint.isPresent() && !peer.map(snapshot.waypointIdentities(waypoint.get())::contains).orElse(false)) {
            // Its L7 policy lives in the waypoint: anyone else reaching the pod would skip it.
            return Decision.deny(target.key() + " is served by waypoint " + waypoint.get().key()
                    + ", and only the waypoint may connect to it; the caller is "
                    + peer.map(SpiffeId::toString).orElse("plaintext " + sourceIp.getHostAddress()));
        }
        ConnectionContext context = context(target);
        Decision decision = snapshot.authorizer().authorize(context);
        if (!decision.dryRuns().isEmpty()) {
            LOG.log(Level.INFO, "dry-run policy result for " + describe() + ": " + decision.dryRuns());
        }
        return decision;
    }

    /** The re-check for live connections: denied when a new snapshot's policy denies this connection. */
    LiveConnections.Recheck recheck() {
        return snapshot -> {
            Optional<Workload> target = snapshot.workload(destination.getAddress())
                    .filter(w -> w.key().equals(workload));
            if (target.isEmpty()) {
                return Optional.empty(); // the pod left the state; its connections end with the pod
            }
            Decision decision = check(snapshot, target.get());
            return decision.allowed() ? Optional.empty() : Optional.of(decision.reason());
        };
    }

    private ConnectionContext context(Workload target) {
        if (peer.isEmpty()) {
            return ConnectionContext.plaintext(sourceIp, destination.getAddress(), destination.getPort(),
                    target.namespace(), target.labels());
        }
        SpiffeId id = peer.get();
        Optional<String> namespace = id.namespace().filter(ns -> id.serviceAccount().isPresent());
        return new ConnectionContext(Optional.of(id.principal()), namespace, sourceIp, destination.getAddress(),
                destination.getPort(), target.namespace(), target.labels());
    }

    String describe() {
        return peer.map(SpiffeId::toString).orElse("plaintext " + sourceIp.getHostAddress()) + " -> "
                + workload + " port " + destination.getPort();
    }
}
