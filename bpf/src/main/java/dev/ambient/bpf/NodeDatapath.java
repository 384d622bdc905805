package dev.ambient.bpf;

import dev.ambient.bpf.CapturePrograms.Hook;
import dev.ambient.sys.BpfLink;
import dev.ambient.sys.Interfaces;
import dev.ambient.sys.RouteNetlink;
import dev.ambient.sys.TcFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The capture datapath of one node, driven from inside the node's network namespace: the policy
 * rule and local route that deliver captured packets to the proxy, the programs attached as tcx links
 * to pod veths and uplinks, and enrolment. Links are pinned, so a killed agent leaves capture in place
 * (fail closed: no listener, packets dropped) and a restarted one takes the links back and swaps its
 * programs in. {@link #close()} lets go of this agent's handles and leaves capture in place (an agent
 * stopping, for a restart or an upgrade, must not let enrolled pods' traffic out in clear);
 * {@link #uninstall()} removes every link, pin, rule and route, for taking the mesh off the node.
 */
public final class NodeDatapath implements AutoCloseable {

    private static final Logger LOG = System.getLogger(NodeDatapath.class.getName());
    private static final int RULE_PRIORITY = 100;
    private static final int TABLE = 100;
    /** {@code -Dambient.bpf.attach=clsact} forces the pre-6.6 attachment (tcx is used when the kernel has it). */
    public static final String ATTACH_PROPERTY = "ambient.bpf.attach";

    private final CapturePrograms programs;
    private final CaptureConfig config;
    private final Path links;
    private final Map<String, Attachment> attached = new LinkedHashMap<>();
    private boolean clsact = "clsact".equals(System.getProperty(ATTACH_PROPERTY));
    private boolean closed;

    private NodeDatapath(CapturePrograms programs, CaptureConfig config, Path links) {
        this.programs = programs;
        this.config = config;
        this.links = links;
    }

    /**
     * Loads the programs (reusing the maps a previous agent pinned), configures them and sets the
     * node up. Must run on a thread inside the node's network namespace.
     *
     * @param pinRoot this node's directory on a bpffs (node names differ on a shared machine)
     */
    public static NodeDatapath start(Path pinRoot, CaptureConfig config, Path scratch) {
        CapturePrograms programs = CapturePrograms.load(pinRoot, scratch);
        try {
            programs.configure(config);
            NodeDatapath datapath = new NodeDatapath(programs, config, Files.createDirectories(pinRoot.resolve("links")));
            datapath.setUpNode();
            datapath.adoptPinnedLinks();
            return datapath;
        } catch (IOException e) {
            programs.close();
            throw new UncheckedIOException("cannot create " + pinRoot.resolve("links") + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            programs.close();
            throw e;
        }
    }

    /** Captured packets carry the capture mark; this rule sends them to a table that delivers everything locally. */
    private void setUpNode() {
        RouteNetlink.addMarkRule(RULE_PRIORITY, config.captureMark(), TABLE);
        RouteNetlink.replaceLocalDefault(TABLE, Interfaces.index("lo"));
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot enable IP forwarding in the node's namespace: " + e.getMessage(), e);
        }
    }

    /** Takes back links a previous agent pinned and swaps in this agent's programs, without a gap. */
    private void adoptPinnedLinks() {
        try (Stream<Path> pins = Files.list(links)) {
            for (Path pin : pins.toList()) {
                String[] parts = pin.getFileName().toString().split("@", 2);
                Hook hook = Hook.valueOf(parts[0]);
                BpfLink link = BpfLink.fromPin(pin);
                link.update(programs.program(hook));
                attached.put(pin.getFileName().toString(), new Attachment.Tcx(link, pin));
                LOG.log(Level.INFO, "took back " + hook + " on " + parts[1] + " from a previous agent");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Attaches {@code hook} at the ingress of {@code device}; attaching twice changes nothing. */
    public synchronized void attach(String device, Hook hook) {
        String key = hook.name() + "@" + device;
        if (attached.containsKey(key)) {
            return;
        }
        int ifindex = Interfaces.index(device);
        if (!clsact) {
            try {
                BpfLink link = BpfLink.attachTcx(programs.program(hook), ifindex, true);
                try {
                    link.pin(links.resolve(key));
                } catch (RuntimeException e) {
                    link.close();
                    throw e;
                }
                attached.put(key, new Attachment.Tcx(link, links.resolve(key)));
                return;
            } catch (IllegalStateException noTcx) {
                LOG.log(Level.WARNING, noTcx.getMessage() + "; attaching through clsact instead");
                clsact = true;
            }
        }
        // Same handle and priority per hook: attaching again (a restarted agent) replaces in place.
        attached.put(key, new Attachment.Clsact(TcFilter.attach(programs.program(hook), ifindex, true,
                hook.ordinal() + 1, 1)));
    }

    /** Detaches {@code hook} from {@code device}, if attached. */
    public synchronized void detach(String device, Hook hook) {
        String key = hook.name() + "@" + device;
        if (attached.containsKey(key)) {
            release(key);
        }
    }

    /** Detaches everything attached to {@code device} (a pod that left, a veth that is gone). */
    public synchronized void detach(String device) {
        List<String> keys = new ArrayList<>(attached.keySet());
        for (String key : keys) {
            if (key.endsWith("@" + device)) {
                release(key);
            }
        }
    }

    private void release(String key) {
        try {
            attached.remove(key).detach();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot detach " + key + ": " + e.getMessage());
        }
    }

    public synchronized List<String> attachments() {
        return List.copyOf(attached.keySet());
    }

    public void enrol(Inet4Address pod, int ifindex) {
        programs.enrol(pod, ifindex);
    }

    public void drain(Inet4Address pod, int ifindex) {
        programs.drain(pod, ifindex);
    }

    public void unenrol(Inet4Address pod) {
        programs.unenrol(pod);
    }

    public Optional<Integer> enrolment(Inet4Address pod) {
        return programs.enrolment(pod);
    }

    public long counter(int slot) {
        return programs.counter(slot);
    }

    /**
     * Lets go of this agent's handles. Links stay attached through their pins and maps keep the
     * enrolment: with no proxy listening, enrolled pods' new connections are dropped (fail closed)
     * until the next agent takes over.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        attached.values().forEach(Attachment::release);
        attached.clear();
        programs.close();
    }

    /**
     * Takes the mesh off this node: detaches every program, removes pins, the rule and the route.
     * Pods are then not captured at all, so callers unenrol (and drain) them first.
     */
    public synchronized void uninstall() {
        if (!closed) {
            new ArrayList<>(attached.keySet()).forEach(this::release);
        }
        closed = true;
        programs.close();
        uninstall(programs.pinRoot());
    }

    /**
     * Removes what an agent left on this node without loading anything: unpinning a link detaches
     * its program, unpinning a map frees it once no program holds it. Runs in the node's namespace.
     */
    public static void uninstall(Path pinRoot) {
        for (String device : Interfaces.all()) {
            for (Hook hook : Hook.values()) { // clsact filters of kernels before 6.6 have no pins
                try {
                    TcFilter.detachAt(Interfaces.index(device), true, hook.ordinal() + 1, 1);
                } catch (RuntimeException ignored) {
                    // not ours, or already gone
                }
            }
        }
        RouteNetlink.deleteMarkRule(RULE_PRIORITY, 0, TABLE);
        RouteNetlink.deleteLocalDefault(TABLE, Interfaces.index("lo"));
        if (Files.exists(pinRoot)) {
            deletePins(pinRoot);
        }
    }

    private static void deletePins(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove pins under " + root + ": " + e.getMessage());
        }
    }
}
