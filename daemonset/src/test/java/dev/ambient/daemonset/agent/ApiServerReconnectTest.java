package dev.ambient.daemonset.agent;

import static dev.ambient.daemonset.agent.ApiServerFixture.enrolledOnNodeA;
import static dev.ambient.daemonset.agent.ApiServerFixture.label;
import static dev.ambient.daemonset.agent.ApiServerFixture.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.apiserver.ApiServerSource;
import dev.ambient.ztunnel.testing.LogCapture;
import dev.ambient.ztunnel.testing.SocketRelay;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's connection to the API server breaks (an API server restart, a network partition) and
 * comes back: while it is down the node keeps what it enrolled and says so in its log; once back it
 * catches up with what was created meanwhile, and at no moment is an enrolled pod dropped. (Deletions
 * made during the outage are not checked: the mock server, unlike an API server, neither replays them
 * to a watch resumed from its resource version nor answers 410 Gone to force a re-list.)
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiServerReconnectTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private SocketRelay relay(int port) throws Exception {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return SocketRelay.start(listener, () -> new Socket(server.getHostName(), server.getPort()));
    }

    private static double watchUp(SimpleMeterRegistry registry, String resource) {
        return registry.get("ambient_apiserver_watch_up").tag("resource", resource).gauge().value();
    }

    @Test
    void aLostApiServerKeepsEnrolmentAndCatchesUpWhenItReturns() throws Exception {
        label(client, "ambient");
        client.pods().resource(pod("a1", "node-a", "10.240.1.2", Map.of(), false)).create();
        LogCapture log = LogCapture.of(ApiServerSource.class);
        SocketRelay relay = relay(0);
        int port = relay.port();
        List<List<String>> withoutA1 = new CopyOnWriteArrayList<>();
        try (KubernetesClient agentClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                client.getConfiguration()).withMasterUrl("http://127.0.0.1:" + port).withWatchReconnectInterval(200)
                .withRequestRetryBackoffInterval(100).build()).build();
                ApiServerFixture agent = new ApiServerFixture(agentClient)) {
            agent.source.start().get(20, TimeUnit.SECONDS);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            agent.source.bindMetrics(registry);
            agent.await(s -> enrolledOnNodeA(s).equals(List.of("a1")), "a1 enrolled");
            agent.store.addListener((before, after) -> {
                if (!enrolledOnNodeA(after).contains("a1")) {
                    withoutA1.add(enrolledOnNodeA(after));
                }
            });

            // Cut established watches. (One cut within milliseconds of its start can leave the JDK
            // client's socket half-closed and unnoticed; the informer's own watch timeout, 5 to 10
            // minutes, ends that one.)
            Thread.sleep(1000);
            relay.close();
            assertTrue(log.await("the watch on pods is broken; reconnecting, the last known state stays in force",
                    Duration.ofSeconds(10)), "the outage is logged: " + log.messages());
            assertEquals(0.0, watchUp(registry, "pods"), "and shows in the watch's gauge");
            double versionDuringOutage = registry.get("ambient_apiserver_state_version").gauge().value();
            client.pods().resource(pod("a2", "node-a", "10.240.1.4", Map.of(), false)).create();
            Thread.sleep(500);
            assertTrue(agent.store.loaded(), "still ready on the last known state");
            assertEquals(List.of("a1"), agent.enrolledOnNodeA(), "nothing changes while it is down");

            relay = relay(port);
            agent.await(s -> enrolledOnNodeA(s).equals(List.of("a1", "a2")),
                    "after the reconnect, a2 (created meanwhile) enrolled", Duration.ofSeconds(20));
            assertTrue(log.await("the watch on pods is back", Duration.ofSeconds(5)), "the recovery is logged");
            assertEquals(1.0, watchUp(registry, "pods"));
            assertTrue(registry.get("ambient_apiserver_state_version").gauge().value() > versionDuringOutage,
                    "a new state was built after the reconnect");
            assertEquals(List.of(), withoutA1, "a1 was never unenrolled, through the outage and the re-list");
        } finally {
            relay.close();
            log.close();
        }
    }
}
