package dev.ambient.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ambient.bpf.CapturePrograms.Hook;
import dev.ambient.sys.BpfTestRun;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every verdict of each capture program, on hand-built packets through BPF_PROG_TEST_RUN inside a
 * scratch namespace: the counters say which path a packet took, the return value what happened to it.
 * The kernel refuses bpf_sk_assign outside a real tc ingress hook, so here a packet steered to a
 * socket shows as that decision's counter plus a refused assignment (and a drop); that the
 * assignment then delivers to the proxy is what the namespaced tests prove with real traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureProgramsTest {

    private static final int OK = 0;
    private static final int SHOT = 2;

    private final Inet4Address pod = ip("10.1.0.5");
    private final Inet4Address other = ip("10.1.0.6");
    private final Inet4Address remote = ip("10.2.0.9");
    private TestNode node;
    private CapturePrograms programs;

    @BeforeAll
    void load() throws IOException {
        node = TestNode.create("bpft");
        programs = CapturePrograms.load(node.bpffs.resolve("node"), Path.of("target", "bpf-objects"));
    }

    @AfterAll
    void unload() throws IOException {
        if (programs != null) {
            programs.close();
        }
        node.close();
    }

    @BeforeEach
    void reset() {
        programs.configure(CaptureConfig.defaults());
        programs.enrol(pod, 7);
        programs.unenrol(other);
    }

    @Test
    void aNewConnectionFromAnEnrolledPodGoesToTheOutboundListener() throws Exception {
        try (ServerSocket listener = listen(15001)) {
            assertSteered(Hook.POD_INGRESS, Packets.tcp(pod, 40000, remote, 8080, Packets.SYN), 0,
                    CaptureAbi.CNT_OUTBOUND_NEW);
        }
    }

    @Test
    void withoutAListenerAnEnrolledPodsConnectionIsDropped() throws Exception {
        assertVerdict(Hook.POD_INGRESS, Packets.tcp(pod, 40001, remote, 8080, Packets.SYN), 0, SHOT,
                CaptureAbi.CNT_NO_LISTENER);
    }

    @Test
    void failOpenLetsItPassInstead() throws Exception {
        CaptureConfig d = CaptureConfig.defaults();
        programs.configure(new CaptureConfig(d.listenAddress(), d.outboundPort(), d.inboundPort(), d.hbonePort(),
                d.captureMark(), d.proxyMark(), true));
        assertVerdict(Hook.POD_INGRESS, Packets.tcp(pod, 40002, remote, 8080, Packets.SYN), 0, OK,
                CaptureAbi.CNT_NO_LISTENER);
    }

    @Test
    void aPodOutsideTheMeshIsLeftAlone() throws Exception {
        assertVerdict(Hook.POD_INGRESS, Packets.tcp(other, 40003, remote, 8080, Packets.SYN), 0, OK,
                CaptureAbi.CNT_BYPASS);
    }

    @Test
    void aPodOutsideTheMeshCallingAnEnrolledPodIsCapturedInbound() throws Exception {
        try (ServerSocket listener = listen(15006)) {
            assertSteered(Hook.POD_INGRESS, Packets.tcp(other, 40012, pod, 8080, Packets.SYN), 0,
                    CaptureAbi.CNT_INBOUND_NEW);
        }
    }

    @Test
    void midStreamPacketsNobodyOwnsPass() throws Exception {
        // A connection the pod opened before it was enrolled keeps working.
        assertVerdict(Hook.POD_INGRESS, Packets.tcp(pod, 40004, remote, 8080, Packets.ACK), 0, OK,
                CaptureAbi.CNT_BYPASS);
    }

    @Test
    void nonTcpPasses() throws Exception {
        assertVerdict(Hook.POD_INGRESS, Packets.udp(pod, remote), 0, OK, CaptureAbi.CNT_BYPASS);
    }

    @Test
    void aDrainingPodsNewConnectionsAreNotCaptured() throws Exception {
        programs.drain(pod, 7);
        try (ServerSocket listener = listen(15001)) {
            assertVerdict(Hook.POD_INGRESS, Packets.tcp(pod, 40005, remote, 8080, Packets.SYN), 0, OK,
                    CaptureAbi.CNT_DRAINING);
        }
    }

    @Test
    void theProxysOwnPacketsAreNeverCaptured() throws Exception {
        try (ServerSocket listener = listen(15001)) {
            assertVerdict(Hook.POD_INGRESS, Packets.tcp(pod, 40006, remote, 8080, Packets.SYN),
                    CaptureConfig.defaults().proxyMark(), OK, CaptureAbi.CNT_PROXY_OWN);
        }
    }

    @Test
    void aFlowTheProxyOwnsGoesToItsSocket() throws Exception {
        Inet4Address loopbackPod = ip("127.0.0.5");
        programs.enrol(loopbackPod, 1);
        try (ServerSocket server = node.netns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(ip("127.0.0.1"), 9000));
            return s;
        }); Socket client = node.netns.call(() -> {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(loopbackPod, 0));
            s.connect(new InetSocketAddress(ip("127.0.0.1"), 9000));
            return s;
        }); Socket accepted = server.accept()) {
            assertSteered(Hook.POD_INGRESS, Packets.tcp(loopbackPod, client.getLocalPort(), ip("127.0.0.1"), 9000,
                    Packets.ACK), 0, CaptureAbi.CNT_ESTABLISHED);
        } finally {
            programs.unenrol(loopbackPod);
        }
    }

    @Test
    void plaintextToAnEnrolledPodGoesToTheInboundListener() throws Exception {
        try (ServerSocket listener = listen(15006)) {
            assertSteered(Hook.UPLINK_INGRESS, Packets.tcp(remote, 40007, pod, 8080, Packets.SYN), 0,
                    CaptureAbi.CNT_INBOUND_NEW);
        }
    }

    @Test
    void hboneToAnEnrolledPodGoesToTheHboneListener() throws Exception {
        try (ServerSocket listener = listen(15008)) {
            assertSteered(Hook.UPLINK_INGRESS, Packets.tcp(remote, 40008, pod, 15008, Packets.SYN), 0,
                    CaptureAbi.CNT_HBONE_NEW);
        }
    }

    @Test
    void hboneIsNotTakenByTheInboundListener() throws Exception {
        try (ServerSocket plaintextOnly = listen(15006)) {
            assertVerdict(Hook.UPLINK_INGRESS, Packets.tcp(remote, 40011, pod, 15008, Packets.SYN), 0, SHOT,
                    CaptureAbi.CNT_NO_LISTENER);
        }
    }

    @Test
    void inboundWithoutAListenerIsDropped() throws Exception {
        assertVerdict(Hook.UPLINK_INGRESS, Packets.tcp(remote, 40009, pod, 8080, Packets.SYN), 0, SHOT,
                CaptureAbi.CNT_NO_LISTENER);
    }

    @Test
    void inboundToAPodOutsideTheMeshIsLeftAlone() throws Exception {
        assertVerdict(Hook.UPLINK_INGRESS, Packets.tcp(remote, 40010, other, 8080, Packets.SYN), 0, OK,
                CaptureAbi.CNT_BYPASS);
    }

    @Test
    void aSecondLoadReusesThePinnedMaps() throws Exception {
        programs.drain(pod, 9);
        try (CapturePrograms restarted = CapturePrograms.load(programs.pinRoot(), Path.of("target", "bpf-objects"))) {
            assertEquals(java.util.Optional.of(CaptureAbi.POD_DRAINING), restarted.enrolment(pod),
                    "a restarted agent sees the enrolment the previous one left");
        }
    }

    /** The program found {@code slot}'s socket and handed the packet to it (see the class comment). */
    private void assertSteered(Hook hook, byte[] packet, int mark, int slot) throws Exception {
        long refused = programs.counter(CaptureAbi.CNT_ASSIGN_FAILED);
        assertVerdict(hook, packet, mark, SHOT, slot);
        assertEquals(refused + 1, programs.counter(CaptureAbi.CNT_ASSIGN_FAILED), "assignment attempted");
    }

    private void assertVerdict(Hook hook, byte[] packet, int mark, int verdict, int counter) throws Exception {
        long before = programs.counter(counter);
        int actual = node.netns.call(() -> BpfTestRun.run(programs.program(hook), packet, mark));
        assertEquals(verdict, actual, "verdict of " + hook + "; counters: " + counters());
        assertEquals(before + 1, programs.counter(counter), "counter " + counter + " of " + hook);
    }

    private String counters() {
        StringBuilder out = new StringBuilder();
        for (int slot = 0; slot < CaptureAbi.CNT_SLOTS; slot++) {
            out.append(slot).append('=').append(programs.counter(slot)).append(' ');
        }
        return out.toString();
    }

    private ServerSocket listen(int port) throws Exception {
        return node.netns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(port));
            return s;
        });
    }

    private static Inet4Address ip(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
