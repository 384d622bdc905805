package dev.ambient.ztunnel;

import dev.ambient.ztunnel.admin.ConfigDump;
import dev.ambient.ztunnel.admin.HttpEndpoints;
import dev.ambient.ztunnel.admin.HttpEndpoints.Reply;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.hbone.HbonePool;
import dev.ambient.ztunnel.hbone.HboneServer;
import dev.ambient.ztunnel.identity.CaClient;
import dev.ambient.ztunnel.identity.CertificateManager;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.SpiffeTrustManager;
import dev.ambient.ztunnel.identity.SvidVerifier;
import dev.ambient.ztunnel.identity.TrustBundle;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileSource;
import dev.ambient.ztunnel.net.SocketOptions;
import dev.ambient.ztunnel.net.TcpListener;
import dev.ambient.ztunnel.proxy.CaptureHandlers;
import dev.ambient.ztunnel.proxy.InboundProxy;
import dev.ambient.ztunnel.proxy.LiveConnections;
import dev.ambient.ztunnel.proxy.OutboundProxy;
import dev.ambient.ztunnel.proxy.TcpDialer;
import dev.ambient.ztunnel.proxy.WaypointInbound;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import dev.ambient.ztunnel.socks.Socks5Initializer;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.ProxyScope;
import dev.ambient.ztunnel.state.StateStore;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import dev.ambient.ztunnel.telemetry.ProxyMetrics;
import dev.ambient.ztunnel.tls.TlsContexts;
import dev.ambient.ztunnel.transport.Transport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node's ztunnel: the listeners (15001 outbound capture, 15006 inbound plaintext, 15008 HBONE,
 * 15080 SOCKS5, 15000 admin, 15020 metrics, 15021 readiness) over one workload state, one certificate
 * manager and one HBONE pool. Lifecycle: {@link #start} → {@link #drain} → {@link #close}.
 */
public final class Ztunnel implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Ztunnel.class.getName());

    private final ZtunnelConfig config;
    private final WaypointLayer waypointLayer;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final EventLoopGroup group;
    private final Transport transport;
    private final PrometheusMeterRegistry registry;
    private final StateStore state;
    private final CertificateManager certificates;
    private final TlsContexts tls;
    private final HbonePool pool;
    private final ProxyScope scope;
    private final LiveConnections live = new LiveConnections();
    private final List<TcpListener> captureListeners = new ArrayList<>();
    private MeshFileSource source;
    private HboneServer hbone;
    private HttpEndpoints admin;
    private HttpEndpoints metricsEndpoint;
    private HttpEndpoints readiness;
    private TcpListener socks5;
    private volatile boolean draining;

    private Ztunnel(ZtunnelConfig config, CaClient ca, TrustBundle bundle, Clock clock, WaypointLayer waypointLayer) {
        this.config = Objects.requireNonNull(config, "config");
        this.waypointLayer = Objects.requireNonNull(waypointLayer, "waypointLayer");
        this.clock = Objects.requireNonNull(clock, "clock");
        TlsContexts.requireOpenSsl();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("ztunnel-control", true));
        this.transport = Transport.best();
        this.group = transport.newGroup(config.workerThreads(), new DefaultThreadFactory("ztunnel-" + config.node(), true));
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.state = new StateStore(MeshSnapshot.empty(config.clusterDomain()));
        this.tls = new TlsContexts(new SpiffeTrustManager(new SvidVerifier(bundle, Set.of(config.trustDomain()), clock)));
        this.certificates = new CertificateManager(ca, scheduler, clock, config.certificateLifetime());
        this.certificates.addListener(tls::prepare);
        Bootstrap dial = new Bootstrap().group(group).channel(transport.socketChannel());
        if (config.preserveSource()) {
            SocketOptions.transparent(dial, transport);
        }
        this.pool = new HbonePool(dial, this::clientContext, config.hbone(), config.preserveSource(), config.proxyMark());
        this.scope = new ProxyScope(config.node(), config.dedicated());
    }

    /**
     * Starts a ztunnel: loads state, begins fetching certificates for this node's workloads, binds
     * every listener. Fails (and releases what it took) when a listener cannot bind or the mesh file
     * cannot be read.
     */
    public static Ztunnel start(ZtunnelConfig config, CaClient ca, TrustBundle bundle) {
        return start(config, ca, bundle, WaypointLayer.NONE);
    }

    /** As {@link #start(ZtunnelConfig, CaClient, TrustBundle)}, for a waypoint's proxy with its HTTP layer. */
    public static Ztunnel start(ZtunnelConfig config, CaClient ca, TrustBundle bundle, WaypointLayer layer) {
        Ztunnel z = new Ztunnel(config, ca, bundle, Clock.systemUTC(), layer);
        try {
            z.startAll();
            return z;
        } catch (RuntimeException | IOException e) {
            z.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start ztunnel for node " + config.node() + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private void startAll() throws IOException {
        LOG.log(Level.INFO, "starting ztunnel for " + scope + " with the " + transport.name() + " transport");
        state.addListener((previous, next) -> onSnapshot(next));
        if (config.meshFile().isPresent()) {
            source = new MeshFileSource(config.meshFile().get(), new SnapshotBuilder(config.trustDomain(),
                    config.rootNamespace(), config.clusterDomain(), clock), state, scheduler, Duration.ofMillis(500));
            source.start();
        }
        ProxyMetrics metrics = new ProxyMetrics(registry);
        TcpDialer dialer = new TcpDialer(transport, config.hbone().connectTimeout(), config.preserveSource(),
                config.proxyMark(), Optional.empty());
        TcpDialer delivery = new TcpDialer(transport, config.hbone().connectTimeout(), config.preserveSource(),
                config.proxyMark(), config.deliverFrom());
        OutboundProxy outbound = new OutboundProxy(scope, config.clusterName(), state, pool, dialer, metrics, live,
                config.ports().hbone());
        InboundProxy inbound = new InboundProxy(scope, state, delivery, metrics, live);
        WaypointInbound waypointInbound = new WaypointInbound(state, pool, metrics, live, config.ports().hbone(),
                waypointLayer, registry);
        boolean redirected = config.captureMode() == ZtunnelConfig.CaptureMode.REDIRECT;
        ZtunnelConfig.Ports ports = config.ports();
        Set<Integer> own = java.util.stream.IntStream.of(ports.outbound(), ports.inbound(), ports.hbone())
                .filter(p -> p > 0).boxed().collect(Collectors.toUnmodifiableSet());
        captureListeners.add(new TcpListener("outbound capture", config.bind(ports.outbound()), transport, group,
                CaptureHandlers.outbound(outbound, own, redirected), config.transparent()).start());
        captureListeners.add(new TcpListener("inbound plaintext capture", config.bind(ports.inbound()), transport, group,
                CaptureHandlers.inboundPlaintext(inbound, redirected), config.transparent()).start());
        hbone = new HboneServer(config.bind(ports.hbone()), transport, group, this::serverContext, config.hbone(),
                config.drainTimeout(), config.transparent(), request -> {
                    // A tunnel to a waypoint pod this proxy serves, for a destination behind it, is passed on.
                    Optional<Waypoint> waypoint = WaypointInbound.servedBy(state.current(), request)
                            .filter(w -> state.current().workload(request.localAddress().getAddress())
                                    .filter(scope::serves).isPresent());
                    if (waypoint.isPresent()) {
                        waypointInbound.accept(request, waypoint.get());
                    } else {
                        inbound.accept(request);
                    }
                }).start();
        socks5 = new TcpListener("SOCKS5", new InetSocketAddress(config.socks5Address(), ports.socks5()), transport, group,
                new Socks5Initializer(outbound), false).start();
        admin = new HttpEndpoints("admin", config.bindLoopback(ports.admin()), transport, group, Map.of(
                "/config_dump", () -> Reply.json(configDump()),
                "/healthz/ready", this::readyReply)).start();
        metricsEndpoint = new HttpEndpoints("metrics", config.bind(ports.metrics()), transport, group, Map.of(
                "/metrics", () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()),
                "/stats/prometheus", () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())))
                .start();
        readiness = new HttpEndpoints("readiness", config.bind(ports.readiness()), transport, group, Map.of(
                "/healthz/ready", this::readyReply)).start();
        LOG.log(Level.INFO, "ztunnel for node " + config.node() + " listening: outbound " + address(captureListeners.get(0))
                + ", inbound " + address(captureListeners.get(1)) + ", HBONE " + hbone.localAddress() + ", SOCKS5 "
                + socks5.localAddress() + ", admin " + admin.localAddress() + ", metrics "
                + metricsEndpoint.localAddress() + ", readiness " + readiness.localAddress());
    }

    private static InetSocketAddress address(TcpListener listener) {
        return listener.localAddress();
    }

    /** Fetches certificates for the identities this node now serves and re-checks live connections. */
    private void onSnapshot(MeshSnapshot next) {
        Set<SpiffeId> identities = localIdentities(next);
        certificates.retainOnly(identities);
        tls.retainOnly(identities);
        for (SpiffeId id : identities) {
            certificates.certificate(id).exceptionally(e -> {
                LOG.log(Level.WARNING, "no certificate yet for " + id + ": " + e.getMessage());
                return null;
            });
        }
        int closed = live.recheck(next);
        if (closed > 0) {
            LOG.log(Level.INFO, "policy change closed " + closed + " live connection(s)");
        }
    }

    private Set<SpiffeId> localIdentities(MeshSnapshot snapshot) {
        return scope.served(snapshot).stream().filter(Workload::inMesh).map(Workload::identity)
                .collect(Collectors.toSet());
    }

    private Optional<SslContext> serverContext(InetAddress local) {
        Optional<Workload> workload = state.current().workload(local)
                .filter(w -> scope.serves(w) && w.inMesh());
        return workload.flatMap(w -> certificates.current(w.identity())).map(c -> {
            try {
                return tls.server(c);
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("cannot build a TLS context for " + c.identity() + ": " + e.getMessage(), e);
            }
        });
    }

    private CompletableFuture<SslContext> clientContext(SpiffeId identity) {
        return certificates.certificate(identity).thenApply(c -> {
            try {
                return tls.client(c);
            } catch (javax.net.ssl.SSLException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Ready once state is loaded and every local identity has a certificate, and until drain begins. */
    public boolean ready() {
        if (draining || !state.loaded()) {
            return false;
        }
        for (SpiffeId id : localIdentities(state.current())) {
            if (certificates.current(id).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private Reply readyReply() {
        return ready() ? Reply.text(200, "ready\n")
                : Reply.text(503, draining ? "draining\n" : "not ready: state or certificates not loaded\n");
    }

    public String configDump() {
        List<WorkloadCertificate> certs = certificates.snapshot();
        MeshSnapshot snapshot = state.current();
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Workload served : scope.served(snapshot)) {
            snapshot.waypoints().stream().filter(w -> w.runsAs(served)).findFirst()
                    .ifPresent(w -> extra.putAll(waypointLayer.configDump(snapshot, w)));
        }
        return ConfigDump.render(config.node(), snapshot, certs, pool.stats(), clock.instant(), extra);
    }

    /**
     * Graceful shutdown: readiness turns false, listeners stop accepting, HBONE peers get GOAWAY, and
     * live connections may finish until {@code deadline}; whatever is left then is cut.
     * Returns whether everything finished in time.
     */
    public boolean drain(Duration timeout) {
        draining = true;
        Instant deadline = clock.instant().plus(timeout);
        LOG.log(Level.INFO, "draining ztunnel for node " + config.node() + ": " + live.size()
                + " live connection(s), deadline in " + timeout.toSeconds() + "s");
        captureListeners.forEach(TcpListener::stopAccepting);
        if (socks5 != null) {
            socks5.stopAccepting();
        }
        if (hbone != null) {
            hbone.drain();
        }
        boolean clean = true;
        try {
            while (live.size() > 0) {
                if (!clock.instant().isBefore(deadline)) {
                    clean = false;
                    break;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        if (!clean) {
            LOG.log(Level.WARNING, "drain deadline reached with " + live.size() + " live connection(s); closing them");
            live.abortAll("ztunnel shutting down");
        }
        return clean;
    }

    @Override
    public void close() {
        draining = true;
        live.abortAll("ztunnel closed");
        List<AutoCloseable> all = new ArrayList<>(captureListeners);
        all.add(hbone);
        all.add(socks5);
        all.add(admin);
        all.add(metricsEndpoint);
        all.add(readiness);
        all.add(source);
        all.add(pool);
        all.add(certificates);
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + c + " failed: " + e);
            }
        }
        // A short quiet period lets channels closed just above finish deregistering on their loops.
        group.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
        registry.close();
    }

    // Accessors for the command, the admin tools and tests.

    public ZtunnelConfig config() {
        return config;
    }

    public StateStore state() {
        return state;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public LiveConnections liveConnections() {
        return live;
    }

    public HbonePool pool() {
        return pool;
    }

    public CertificateManager certificates() {
        return certificates;
    }

    public Optional<MeshFileSource> meshFileSource() {
        return Optional.ofNullable(source);
    }

    public InetSocketAddress hboneAddress() {
        return hbone.localAddress();
    }

    public InetSocketAddress socks5Address() {
        return socks5.localAddress();
    }

    public InetSocketAddress outboundAddress() {
        return captureListeners.get(0).localAddress();
    }

    public InetSocketAddress inboundAddress() {
        return captureListeners.get(1).localAddress();
    }

    public InetSocketAddress adminAddress() {
        return admin.localAddress();
    }

    public InetSocketAddress metricsAddress() {
        return metricsEndpoint.localAddress();
    }

    public InetSocketAddress readinessAddress() {
        return readiness.localAddress();
    }
}
