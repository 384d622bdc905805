package dev.ambient.daemonset.agent;

import dev.ambient.bpf.CapturePrograms.Hook;
import dev.ambient.bpf.NodeDatapath;
import dev.ambient.sys.Interfaces;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the datapath match the state: every local pod's veth carries the pod program, every other
 * device the uplink program; pods in the mesh are enrolled. A pod that leaves the mesh is drained
 * first (flows the proxy holds keep going, new ones are not captured) and unenrolled when its drain
 * period ends, so a label flip never cuts a live connection short.
 */
final class Enrolment {

    private static final Logger LOG = System.getLogger(Enrolment.class.getName());

    private final String node;
    private final NodeDatapath datapath;
    private final Duration drainPeriod;
    private final Clock clock;
    private final Map<Inet4Address, Integer> enrolled = new HashMap<>();
    private final Map<Inet4Address, Instant> draining = new HashMap<>();
    private final Map<Inet4Address, String> podDevices = new HashMap<>();

    Enrolment(String node, NodeDatapath datapath, Duration drainPeriod, Clock clock) {
        this.node = node;
        this.datapath = datapath;
        this.drainPeriod = drainPeriod;
        this.clock = clock;
    }

    /**
     * Whether a pod of this node is captured into its agent: in the mesh, not a sidecar pod (it brings
     * its own proxy), not on the host network (that is the node itself).
     */
    static boolean enrols(Workload w) {
        return w.inMesh() && !w.sidecar() && !w.hostNetwork();
    }

    /** Applies {@code snapshot}; also run periodically, to pick up new devices and finish drains. */
    synchronized void reconcile(MeshSnapshot snapshot) {
        Set<Inet4Address> wanted = new HashSet<>();
        Set<String> podVeths = new HashSet<>();
        for (Workload w : snapshot.workloadsOn(node)) {
            if (w.hostNetwork() || !(w.ip() instanceof Inet4Address ip)) {
                continue; // host-network pods are the node itself; IPv6 is not captured yet
            }
            Optional<String> device = NodeNetwork.deviceFor(ip);
            if (device.isEmpty()) {
                LOG.log(Level.WARNING, "pod " + w.key() + " (" + ip.getHostAddress() + ") has no route to a local "
                        + "device on node " + node + "; it cannot be captured (is its veth up and routed?)");
                continue;
            }
            podVeths.add(device.get());
            podDevices.put(ip, device.get());
            datapath.attach(device.get(), Hook.POD_INGRESS);
            if (enrols(w)) {
                wanted.add(ip);
                int ifindex = Interfaces.index(device.get());
                if (!Integer.valueOf(ifindex).equals(enrolled.get(ip)) || draining.remove(ip) != null) {
                    datapath.enrol(ip, ifindex);
                    enrolled.put(ip, ifindex);
                    LOG.log(Level.INFO, "enrolled " + w.key() + " (" + ip.getHostAddress() + " on " + device.get() + ")");
                }
            }
        }
        List<String> devices = NodeNetwork.devices();
        for (String device : devices) {
            if (podVeths.contains(device)) {
                datapath.detach(device, Hook.UPLINK_INGRESS);
            } else {
                datapath.attach(device, Hook.UPLINK_INGRESS);
            }
        }
        for (String attachment : datapath.attachments()) {
            String device = attachment.substring(attachment.indexOf('@') + 1);
            if (!devices.contains(device)) {
                datapath.detach(device); // the veth is gone with its pod
            }
        }
        Instant now = clock.instant();
        for (Map.Entry<Inet4Address, Integer> e : Map.copyOf(enrolled).entrySet()) {
            Inet4Address ip = e.getKey();
            if (wanted.contains(ip)) {
                continue;
            }
            Instant until = draining.get(ip);
            if (until == null) {
                datapath.drain(ip, e.getValue());
                draining.put(ip, now.plus(drainPeriod));
                LOG.log(Level.INFO, "draining " + ip.getHostAddress() + ": new connections are no longer captured");
            } else if (!now.isBefore(until)) {
                datapath.unenrol(ip);
                enrolled.remove(ip);
                draining.remove(ip);
                LOG.log(Level.INFO, "unenrolled " + ip.getHostAddress());
            }
        }
    }

    synchronized Map<Inet4Address, Integer> enrolled() {
        return Map.copyOf(enrolled);
    }

    synchronized List<String> attachments() {
        return datapath.attachments();
    }
}
