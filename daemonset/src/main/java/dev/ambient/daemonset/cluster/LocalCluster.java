package dev.ambient.daemonset.cluster;

import dev.ambient.sys.Commands;
import static dev.ambient.sys.Commands.ip;
import static dev.ambient.sys.Commands.run;

import dev.ambient.daemonset.cluster.ClusterSpec.PodSpec;
import dev.ambient.sys.NetNamespace;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes and pods as network namespaces on this machine: every node is a namespace on a shared L2
 * segment (a bridge in a "fabric" namespace), every pod a namespace on a veth to its node with its
 * pod IP, and each node routes other nodes' pods to their node. Nothing of the machine's own
 * namespace is touched. Everything is named with {@link #PREFIX} so {@link #removeLeftovers()} can
 * clean up after a crash; {@link #close()} removes what this instance made, also from a shutdown hook.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = System.getLogger(LocalCluster.class.getName());

    /** Every namespace this project creates starts with this. */
    public static final String PREFIX = "am-";
    /** The address each node owns on every pod veth: the pods' default gateway. */
    public static final String GATEWAY = "169.254.1.1";
    /** The policy-routing table that delivers captured destinations locally. */
    public static final String LOCAL_TABLE = "100";

    private final ClusterSpec spec;
    private final String id;
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> podNamespaces = new LinkedHashMap<>();
    private final Thread cleanup;
    private boolean closed;

    private LocalCluster(ClusterSpec spec, String id) {
        this.spec = spec;
        this.id = id;
        this.cleanup = new Thread(this::close, "local-cluster-cleanup-" + id);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Builds the cluster; on any failure removes what was already made and rethrows.
     *
     * @param id a short unique word for this cluster (names of namespaces and interfaces)
     */
    public static LocalCluster create(ClusterSpec spec, String id) {
        if (id.length() > 6 || !id.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("cluster id must be 1-6 lowercase letters or digits, got " + id);
        }
        LocalCluster cluster = new LocalCluster(spec, id);
        try {
            cluster.build();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void build() {
        String fabric = addNamespace(PREFIX + id + "-fabric");
        ip(fabric, "link", "add", "br0", "type", "bridge");
        ip(fabric, "link", "set", "br0", "up");
        int n = 0;
        for (Map.Entry<String, InetAddress> node : spec.nodes().entrySet()) {
            String ns = addNamespace(nodeNamespace(node.getKey()));
            String uplink = "am" + id + "n" + n++;
            run("ip", "link", "add", uplink, "netns", fabric, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip(fabric, "link", "set", uplink, "master", "br0", "up");
            // A /32 and on-link routes to the other nodes: node addresses need not share a subnet.
            ip(ns, "addr", "add", node.getValue().getHostAddress() + "/32", "dev", "eth0");
            ip(ns, "link", "set", "eth0", "up");
            sysctl(ns, "net.ipv4.ip_forward=1");
        }
        int p = 0;
        for (PodSpec pod : spec.pods()) {
            String node = nodeNamespace(pod.node());
            String ns = addNamespace(PREFIX + id + "-p-" + pod.namespace() + "-" + pod.name());
            podNamespaces.put(pod.key(), ns);
            String hostSide = "am" + id + "p" + p++;
            String podIp = pod.ip().getHostAddress();
            run("ip", "link", "add", hostSide, "netns", node, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip(node, "addr", "add", GATEWAY + "/32", "dev", hostSide);
            ip(node, "link", "set", hostSide, "up");
            ip(node, "route", "add", podIp + "/32", "dev", hostSide);
            ip(ns, "addr", "add", podIp + "/32", "dev", "eth0");
            ip(ns, "link", "set", "eth0", "up");
            ip(ns, "route", "add", GATEWAY, "dev", "eth0", "scope", "link");
            ip(ns, "route", "add", "default", "via", GATEWAY, "dev", "eth0");
        }
        for (String node : spec.nodes().keySet()) {
            for (Map.Entry<String, InetAddress> other : spec.nodes().entrySet()) {
                if (!other.getKey().equals(node)) {
                    ip(nodeNamespace(node), "route", "add", other.getValue().getHostAddress() + "/32", "dev", "eth0",
                            "scope", "link");
                }
            }
            for (PodSpec pod : spec.pods()) {
                if (!pod.node().equals(node)) {
                    ip(nodeNamespace(node), "route", "add", pod.ip().getHostAddress() + "/32", "via",
                            spec.nodes().get(pod.node()).getHostAddress());
                }
            }
        }
        LOG.log(Level.DEBUG, "local cluster " + id + ": " + spec.nodes().size() + " node(s), " + spec.pods().size()
                + " pod(s)");
    }

    /**
     * Delivers HBONE connections addressed to this node's pods (port 15008) to the node itself, where
     * a transparent ztunnel listener takes them; everything else still reaches the pods. This is the
     * inbound half of capture done with one policy rule, for nodes that run without eBPF.
     */
    public void steerHboneToNode(String node, int hbonePort) {
        String ns = nodeNamespace(node);
        ip(ns, "route", "replace", "local", "0.0.0.0/0", "dev", "lo", "table", LOCAL_TABLE);
        for (PodSpec pod : spec.podsOn(node)) {
            ip(ns, "rule", "add", "pref", "100", "to", pod.ip().getHostAddress() + "/32", "ipproto", "tcp", "dport",
                    Integer.toString(hbonePort), "lookup", LOCAL_TABLE);
        }
    }

    private String addNamespace(String name) {
        run("ip", "netns", "add", name);
        namespaces.add(name);
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    private static void sysctl(String namespace, String setting) {
        run(Commands.inNetns(namespace, List.of("sysctl", "-qw", setting)));
    }

    public ClusterSpec spec() {
        return spec;
    }

    public String nodeNamespace(String node) {
        return PREFIX + id + "-" + node;
    }

    public String podNamespace(String namespace, String name) {
        String ns = podNamespaces.get(namespace + "/" + name);
        if (ns == null) {
            throw new IllegalArgumentException("no pod " + namespace + "/" + name + " in local cluster " + id);
        }
        return ns;
    }

    public NetNamespace openNode(String node) {
        return NetNamespace.named(nodeNamespace(node));
    }

    public NetNamespace openPod(String namespace, String name) {
        return NetNamespace.named(podNamespace(namespace, name));
    }

    public InetAddress nodeAddress(String node) {
        return spec.nodes().get(node);
    }

    /** Removes every namespace this cluster made (their interfaces go with them). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> all = new ArrayList<>(namespaces);
        Collections.reverse(all);
        for (String ns : all) {
            Commands.quietly("ip", "netns", "delete", ns);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // we are the hook
        }
    }

    /** Deletes namespaces a crashed run left behind (any named with {@link #PREFIX}); returns them. */
    public static List<String> removeLeftovers() {
        List<String> removed = new ArrayList<>();
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0].strip();
            if (name.startsWith(PREFIX)) {
                // Agents of a crashed run may still live in it: stop them first.
                for (String pid : Commands.run("ip", "netns", "pids", name).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                Commands.quietly("ip", "netns", "delete", name);
                removed.add(name);
            }
        }
        return removed;
    }
}
