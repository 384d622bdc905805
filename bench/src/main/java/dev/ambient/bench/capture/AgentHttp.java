package dev.ambient.bench.capture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare HTTP/1.1 GET to an agent's port on loopback. The caller must be on a thread inside the
 * agent's node namespace (the socket is created where the thread is), which lets the label probe
 * scrape every few milliseconds without a thread per request.
 */
final class AgentHttp {

    private AgentHttp() {}

    /** The body of {@code GET path} on 127.0.0.1:{@code port}; fails unless the status is 200. */
    static String get(int port, String path) throws IOException {
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
}
