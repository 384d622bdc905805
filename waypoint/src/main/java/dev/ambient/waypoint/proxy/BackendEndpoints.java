package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.outlier.OutlierDetector;
import dev.ambient.waypoint.route.Backend;
import dev.ambient.ztunnel.proxy.OutboundRoute;
import dev.ambient.ztunnel.proxy.OutboundRouter;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints of one backend service as a request's attempts see them: each attempt resolves one
 * afresh, as any caller of the service would (so a retry tends to land elsewhere), skipping those the
 * outlier detector ejected; and each attempt's outcome is reported back to the detector.
 */
final class BackendEndpoints {

    private static final Logger LOG = System.getLogger(BackendEndpoints.class.getName());

    private final MeshSnapshot snapshot;
    private final Backend backend;
    private final OutlierDetector outliers;
    private final OutlierDetector.Settings settings;
    private final OutboundRouter router;
    private final Runnable ejected;

    BackendEndpoints(MeshSnapshot snapshot, Backend backend, OutboundRouter router, OutlierDetector outliers,
            OutlierDetector.Settings settings, Runnable ejected) {
        this.ejected = ejected;
        this.router = router;
        this.snapshot = snapshot;
        this.backend = backend;
        this.outliers = outliers;
        this.settings = settings;
    }

    /**
     * The next endpoint that is not ejected; when all are (the detector never ejects more than its
     * share, but endpoints come and go), the next one regardless.
     */
    Optional<OutboundRoute.Tunnel> next() {
        int tries = Math.max(1, keys().size());
        Optional<OutboundRoute.Tunnel> first = Optional.empty();
        for (int i = 0; i < tries; i++) {
            Optional<OutboundRoute.Tunnel> t = resolve();
            if (t.isEmpty() || !outliers.ejected(t.get().destination().key())) {
                return t;
            }
            first = first.isPresent() ? first : t;
        }
        return first;
    }

    void report(Workload endpoint, boolean failed) {
        if (!failed) {
            outliers.success(endpoint.key());
        } else if (outliers.failure(endpoint.key(), keys(), settings)) {
            LOG.log(Level.WARNING, "ejected " + endpoint.key() + " from " + backend.service()
                    + " after consecutive failures");
            ejected.run();
        }
    }

    private List<String> keys() {
        return snapshot.serviceByHost(backend.service())
                .map(s -> snapshot.readyEndpoints(s).stream().map(Workload::key).toList()).orElse(List.of());
    }

    private Optional<OutboundRoute.Tunnel> resolve() {
        return snapshot.serviceByHost(backend.service())
                .map(s -> router.routeFromWaypoint(snapshot, new InetSocketAddress(s.vip(), backend.port())))
                .filter(OutboundRoute.Tunnel.class::isInstance).map(OutboundRoute.Tunnel.class::cast);
    }
}
