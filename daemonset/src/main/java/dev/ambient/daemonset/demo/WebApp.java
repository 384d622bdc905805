package dev.ambient.daemonset.demo;

import com.sun.net.httpserver.HttpServer;
import dev.ambient.sys.NetNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** An HTTP application in a pod: it answers every request with what it saw, trace context included. */
final class WebApp implements AutoCloseable {

    private final HttpServer server;
    private final NetNamespace pod;

    private WebApp(HttpServer server, NetNamespace pod) {
        this.server = server;
        this.pod = pod;
    }

    /** Owns {@code pod} from here on. */
    static WebApp start(NetNamespace pod, InetAddress ip, int port) throws Exception {
        HttpServer server = pod.call(() -> HttpServer.create(new InetSocketAddress(ip, port), 0));
        server.createContext("/", x -> {
            x.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            byte[] body = (x.getRequestMethod() + " " + x.getRequestURI() + " traceparent="
                    + x.getRequestHeaders().getFirst("traceparent")).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        return new WebApp(server, pod);
    }

    @Override
    public void close() {
        server.stop(0);
        pod.close();
    }
}
