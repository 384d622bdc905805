package dev.ambient.daemonset.agent;

import dev.ambient.bpf.CaptureAbi;
import dev.ambient.bpf.CaptureConfig;
import dev.ambient.bpf.NodeDatapath;
import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.CaClient;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.TrustBundle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node agent: a ztunnel with transparent listeners, the eBPF datapath in front of it, and the
 * enrolment reconciler between the state and the datapath. Runs inside the node's network namespace.
 * Order matters: the proxy listens before anything is captured, and on stop the datapath keeps
 * capturing (fail closed) while the proxy drains.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = System.getLogger(NodeAgent.class.getName());
    private static final String[] DECISIONS = {"outbound_new", "inbound_new", "hbone_new", "established", "bypass",
        "no_listener", "draining", "proxy_own", "assign_failed"};

    private final Ztunnel ztunnel;
    private final NodeDatapath datapath;
    private final Enrolment enrolment;
    private final ScheduledExecutorService ticker;

    private NodeAgent(Ztunnel ztunnel, NodeDatapath datapath, Enrolment enrolment, ScheduledExecutorService ticker) {
        this.ztunnel = ztunnel;
        this.datapath = datapath;
        this.enrolment = enrolment;
        this.ticker = ticker;
    }

    /**
     * @param pinRoot this node's directory on a bpffs
     * @param drainPeriod how long a pod leaving the mesh keeps its captured flows
     */
    public static NodeAgent start(ZtunnelConfig config, Path pinRoot, Duration drainPeriod) {
        EmbeddedCa ca = EmbeddedCa.loadOrCreate(config.caDir(), config.trustDomain(), Clock.systemUTC());
        return start(config, pinRoot, drainPeriod, ca, ca.bundle());
    }

    /** With certificates from {@code ca} (a remote CA, say) and peers trusted by {@code bundle}. */
    public static NodeAgent start(ZtunnelConfig config, Path pinRoot, Duration drainPeriod, CaClient ca,
            TrustBundle bundle) {
        ZtunnelConfig proxyConfig = config.toBuilder().transparent(true).preserveSource(true).build();
        Ztunnel ztunnel = Ztunnel.start(proxyConfig, ca, bundle);
        NodeDatapath datapath = null;
        try {
            ZtunnelConfig.Ports ports = proxyConfig.ports();
            CaptureConfig d = CaptureConfig.defaults();
            datapath = NodeDatapath.start(pinRoot, new CaptureConfig(d.listenAddress(), ports.outbound(),
                    ports.inbound(), ports.hbone(), d.captureMark(), d.proxyMark(), false),
                    Path.of(System.getProperty("java.io.tmpdir"), "ambient-bpf-" + config.node()));
            Enrolment enrolment = new Enrolment(config.node(), datapath, drainPeriod, Clock.systemUTC());
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "enrolment-" + config.node());
                t.setDaemon(true);
                return t;
            });
            NodeAgent agent = new NodeAgent(ztunnel, datapath, enrolment, ticker);
            agent.registerCounters(ztunnel.registry());
            if (ztunnel.state().current().workloadsOn(config.node()).isEmpty()) {
                LOG.log(Level.WARNING, "the mesh file places no pod on node " + config.node()
                        + "; check --node (pods name their node in spec.nodeName)");
            }
            ztunnel.state().addListener((before, after) -> ticker.execute(agent::reconcile));
            ticker.scheduleWithFixedDelay(agent::reconcile, 0, 1, TimeUnit.SECONDS);
            return agent;
        } catch (RuntimeException e) {
            if (datapath != null) {
                datapath.close();
            }
            ztunnel.close();
            throw e;
        }
    }

    private void reconcile() {
        try {
            enrolment.reconcile(ztunnel.state().current());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "enrolment could not be reconciled: " + e.getMessage(), e);
        }
    }

    /** The datapath's decision counters, next to the proxy's metrics on :15020. */
    private void registerCounters(MeterRegistry registry) {
        for (int slot = 0; slot < CaptureAbi.CNT_SLOTS; slot++) {
            int s = slot;
            FunctionCounter.builder("ambient_capture_packets", datapath, dp -> dp.counter(s))
                    .tag("decision", DECISIONS[slot])
                    .description("packets the capture programs decided on, by decision")
                    .register(registry);
        }
    }

    public Ztunnel ztunnel() {
        return ztunnel;
    }

    public Map<Inet4Address, Integer> enrolled() {
        return enrolment.enrolled();
    }

    /** Drains the proxy; capture stays in place (pinned), so enrolled pods never fall back to clear text. */
    public void stop(Duration drain) {
        ticker.shutdownNow();
        ztunnel.drain(drain);
        close();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        ztunnel.close();
        datapath.close();
    }

    /** Takes the mesh off the node: everything attached, pinned and routed is removed. */
    public void uninstall() {
        ticker.shutdownNow();
        ztunnel.close();
        datapath.uninstall();
    }
}
