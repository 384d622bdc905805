package dev.ambient.waypoint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.waypoint.testing.EchoGrpc;
import dev.ambient.waypoint.testing.WaypointHarness;
import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import dev.ambient.ztunnel.testing.NettyLeakCheck;
import dev.ambient.ztunnel.testing.SocketRelay;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC through the waypoint on the real tunnel path: a grpc-java client (HTTP/2 with prior
 * knowledge, through node-a's SOCKS5) calls a grpc-java server behind a waypoint; unary, server
 * streaming and bidirectional calls pass with their trailers, many concurrent calls share one
 * connection, a DENY on one method answers PERMISSION_DENIED, and the trace context arrives.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NettyLeakCheck.class)
class GrpcWaypointTest {

    private static final String VIP = "10.96.0.41";

    private static String yaml(int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: echo-grpc, namespace: demo, labels: {istio.io/use-waypoint: wp}}
                spec: {clusterIP: %s, selector: {app: server}, ports: [{name: grpc, port: 50051, targetPort: %d}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: no-forbidden, namespace: demo}
                spec:
                  targetRefs: [{kind: Service, group: "", name: echo-grpc}]
                  action: DENY
                  rules: [{to: [{operation: {paths: [/test.Echo/Forbidden]}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: echo-grpc, namespace: demo}
                spec: {host: echo-grpc, trafficPolicy: {connectionPool: {http: {idleTimeout: 500ms}}}}
                """.formatted(VIP, port);
    }

    @Test
    void unaryStreamingAndBidiCallsPassAndPolicyApplies() throws Exception {
        EchoGrpc echo = new EchoGrpc();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(LoopbackMesh.SERVER_IP, 0))
                .addService(echo.service()).build().start();
        try (WaypointHarness harness = WaypointHarness.start(yaml(server.getPort()))) {
            InetSocketAddress vip = new InetSocketAddress(InetAddress.getByName(VIP), 50051);
            Ztunnel waypoint = harness.waypoint;
            try (SocketRelay relay = SocketRelay.start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    () -> harness.mesh.connect(vip))) {
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", relay.port()).usePlaintext()
                        .overrideAuthority("echo-grpc.demo.svc.cluster.local:50051").build();
                try {
                    assertEquals("hello", EchoGrpc.echo(channel, "hello"));
                    assertEquals(1, UpstreamGauge.connections(waypoint, "echo-grpc.demo"),
                            "one multiplexed connection to the backend, kept after the call");
                    List<String> counted = new ArrayList<>();
                    EchoGrpc.count(channel, 50).forEachRemaining(counted::add);
                    assertEquals(50, counted.size(), "every streamed message arrives");
                    assertEquals("50", counted.get(49));
                    assertEquals(List.of("re: a", "re: b", "re: c"), chat(channel, "a", "b", "c"));
                    StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                            () -> EchoGrpc.forbidden(channel));
                    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), denied.toString());
                    List<CompletableFuture<String>> calls = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        String text = "call-" + i;
                        calls.add(CompletableFuture.supplyAsync(() -> EchoGrpc.echo(channel, text)));
                    }
                    for (int i = 0; i < calls.size(); i++) {
                        assertEquals("call-" + i, calls.get(i).get(30, TimeUnit.SECONDS));
                    }
                    assertTrue(echo.lastTraceparent.get() != null
                            && echo.lastTraceparent.get().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"),
                            "the waypoint starts a trace: " + echo.lastTraceparent.get());
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                String metrics = waypoint.registry().scrape();
                assertTrue(metrics.contains("request_protocol=\"grpc\""), "gRPC requests are counted as such");
                assertTrue(UpstreamGauge.awaitConnections(waypoint, "echo-grpc.demo", 0, Duration.ofSeconds(10)),
                        "the multiplexed upstream connection closes after the DestinationRule's 500ms idle timeout: "
                        + UpstreamGauge.connections(waypoint, "echo-grpc.demo"));
                assertTrue(metrics.contains("response_flags=\"UAEX\""), "the denial is counted with its flag");
            }
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static List<String> chat(ManagedChannel channel, String... messages) throws InterruptedException {
        List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<String> out = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(EchoGrpc.CHAT, io.grpc.CallOptions.DEFAULT), new StreamObserver<String>() {
                    @Override
                    public void onNext(String value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add("error: " + t);
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (String m : messages) {
            out.onNext(m);
        }
        out.onCompleted();
        assertTrue(done.await(20, TimeUnit.SECONDS), "the chat ends");
        return answers;
    }
}
