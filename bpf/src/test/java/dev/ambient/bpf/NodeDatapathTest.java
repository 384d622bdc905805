package dev.ambient.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bpf.CapturePrograms.Hook;
import dev.ambient.sys.NetNamespace;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The datapath on a real device: a pod namespace behind a veth, the pod program attached (as a tcx
 * link, or through clsact as on kernels before 6.6), a real connection attempt from the pod.
 */
class NodeDatapathTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcx", "clsact"})
    void anEnrolledPodsConnectionIsCapturedOnItsVethAndDetachingStopsIt(String mode) throws Exception {
        String previous = System.getProperty(NodeDatapath.ATTACH_PROPERTY);
        System.setProperty(NodeDatapath.ATTACH_PROPERTY, mode);
        try (TestNode node = TestNode.create("dp"); PodBehindVeth pod = PodBehindVeth.create(node, "10.1.0.5")) {
            Inet4Address podIp = (Inet4Address) InetAddress.getByName("10.1.0.5");
            NodeDatapath datapath = node.netns.call(() -> NodeDatapath.start(node.bpffs.resolve("node"),
                    CaptureConfig.defaults(), Path.of("target", "bpf-objects")));
            try {
                node.netns.call(() -> {
                    datapath.attach(pod.hostSide, Hook.POD_INGRESS);
                    datapath.attach(pod.hostSide, Hook.POD_INGRESS); // idempotent
                    datapath.enrol(podIp, 0);
                    return null;
                });
                assertEquals(1, datapath.attachments().size());
                long before = datapath.counter(CaptureAbi.CNT_NO_LISTENER);
                pod.tryConnect();
                assertTrue(datapath.counter(CaptureAbi.CNT_NO_LISTENER) > before,
                        "no listener: the pod's SYN is dropped by the program (fail closed)");
                node.netns.call(() -> {
                    datapath.detach(pod.hostSide);
                    return null;
                });
                long detached = datapath.counter(CaptureAbi.CNT_NO_LISTENER);
                pod.tryConnect();
                assertEquals(detached, datapath.counter(CaptureAbi.CNT_NO_LISTENER), "detached: nothing runs");
            } finally {
                node.netns.call(() -> {
                    datapath.uninstall();
                    return null;
                });
            }
        } finally {
            if (previous == null) {
                System.clearProperty(NodeDatapath.ATTACH_PROPERTY);
            } else {
                System.setProperty(NodeDatapath.ATTACH_PROPERTY, previous);
            }
        }
    }

    @Test
    void uninstallRemovesTheRuleAndRoute() throws Exception {
        try (TestNode node = TestNode.create("du")) {
            NodeDatapath datapath = node.netns.call(() -> NodeDatapath.start(node.bpffs.resolve("node"),
                    CaptureConfig.defaults(), Path.of("target", "bpf-objects")));
            assertTrue(TestNode.run("ip", "-n", node.name, "rule", "show", "pref", "100").contains("fwmark 0x10000"));
            node.netns.call(() -> {
                datapath.uninstall();
                return null;
            });
            assertEquals("", TestNode.run("ip", "-n", node.name, "rule", "show", "pref", "100").strip());
            assertEquals("", TestNode.run("ip", "-n", node.name, "route", "show", "table", "100").strip());
        }
    }

    /** A pod namespace on a veth whose host side lives in the node's namespace. */
    private record PodBehindVeth(TestNode node, String name, String hostSide, NetNamespace netns) implements AutoCloseable {

        static PodBehindVeth create(TestNode node, String ip) throws Exception {
            String name = node.name + "-pod";
            String host = "vh" + ProcessHandle.current().pid() % 100000;
            TestNode.run("ip", "netns", "add", name);
            TestNode.run("ip", "link", "add", host, "netns", node.name, "type", "veth", "peer", "name", "eth0", "netns", name);
            TestNode.run("ip", "-n", node.name, "link", "set", host, "up");
            TestNode.run("ip", "-n", node.name, "addr", "add", "169.254.1.1/32", "dev", host);
            TestNode.run("ip", "-n", node.name, "route", "add", ip + "/32", "dev", host);
            TestNode.run("ip", "-n", name, "addr", "add", ip + "/32", "dev", "eth0");
            TestNode.run("ip", "-n", name, "link", "set", "eth0", "up");
            TestNode.run("ip", "-n", name, "route", "add", "169.254.1.1", "dev", "eth0", "scope", "link");
            TestNode.run("ip", "-n", name, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
            return new PodBehindVeth(node, name, host, NetNamespace.named(name));
        }

        /** A connection attempt that nothing answers; only its SYN matters. */
        void tryConnect() throws Exception {
            netns.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("10.9.9.9", 80), 300);
                } catch (java.io.IOException expected) {
                    // refused or timed out: the SYN was sent
                }
                return null;
            });
        }

        @Override
        public void close() throws Exception {
            netns.close();
            TestNode.run("ip", "netns", "delete", name);
        }
    }
}
