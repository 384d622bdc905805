package dev.ambient.waypoint.testing;

import dev.ambient.waypoint.proxy.HttpWaypointLayer;
import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.testing.LoopbackMesh;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A loopback mesh (client node, server node) plus a waypoint {@code demo/wp} with the HTTP layer,
 * ready for calls: what every in-process waypoint test starts from. {@code extraYaml} adds the
 * services, routes and policies under test to {@link LoopbackMesh#WAYPOINT_YAML}; {@code ECHO_PORT} in
 * it stands for the server pod's echo port.
 */
public final class WaypointHarness implements AutoCloseable {

    public final LoopbackMesh mesh;
    public final Ztunnel waypoint;

    private WaypointHarness(LoopbackMesh mesh, Ztunnel waypoint) {
        this.mesh = mesh;
        this.waypoint = waypoint;
    }

    public static WaypointHarness start(String extraYaml) throws IOException, InterruptedException {
        LoopbackMesh mesh = LoopbackMesh.start("");
        try {
            mesh.rewrite(LoopbackMesh.WAYPOINT_YAML + "---\n"
                    + extraYaml.replace("ECHO_PORT", Integer.toString(mesh.echo.port())));
            Ztunnel waypoint = Ztunnel.start(mesh.waypointConfig(), mesh.ca, mesh.ca.bundle(), new HttpWaypointLayer());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!waypoint.ready() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!waypoint.ready()) {
                waypoint.close();
                throw new IllegalStateException("the waypoint did not become ready within 20 s");
            }
            return new WaypointHarness(mesh, waypoint);
        } catch (IOException | RuntimeException | InterruptedException e) {
            mesh.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            waypoint.close();
        } finally {
            mesh.close();
        }
    }
}
