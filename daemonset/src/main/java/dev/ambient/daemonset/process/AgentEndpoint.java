package dev.ambient.daemonset.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A node agent's operational endpoints (admin 15000, metrics 15020, readiness 15021) as seen from a
 * thread inside the agent's node namespace: the socket is created where the calling thread is.
 */
public final class AgentEndpoint {

    private AgentEndpoint() {}

    /** The body of {@code GET path} on 127.0.0.1:{@code port}; fails unless the status is 200. */
    public static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200") || body < 0) {
                String status = response.lines().findFirst().orElse("no response");
                throw new IOException("GET " + path + " on port " + port + " answered " + status);
            }
            return response.substring(body + 4);
        }
    }

    /** One decision of {@code ambient_capture_packets_total} in a Prometheus scrape. */
    public static long captureCounter(String metrics, String decision) {
        return metrics.lines()
                .filter(l -> l.startsWith("ambient_capture_packets_total") && l.contains("decision=\"" + decision + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
