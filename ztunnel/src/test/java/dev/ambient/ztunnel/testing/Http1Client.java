package dev.ambient.ztunnel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Minimal HTTP/1.1 over an already connected socket (a SOCKS5 tunnel, or a socket made in a pod). */
public final class Http1Client {

    public record Response(int status, Map<String, String> headers, String body) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public Http1Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public Response send(String method, String target, String host, Map<String, String> headers, String body)
            throws IOException {
        StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        req.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
        String status = line();
        Map<String, String> h = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            h.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(h.getOrDefault("content-length", "0"));
        byte[] content = in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), h, new String(content, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed; socket " + socket);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
