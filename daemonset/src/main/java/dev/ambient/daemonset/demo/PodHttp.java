package dev.ambient.daemonset.demo;

import dev.ambient.sys.NetNamespace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP/1.1 request from a pod, as an application there would send it: it knows nothing of the mesh. */
final class PodHttp {

    /** The status and body of a response. */
    record Response(int status, String body) {}

    private PodHttp() {}

    static Response call(NetNamespace pod, InetSocketAddress to, String method, String path, String host)
            throws Exception {
        try (Socket s = pod.call(() -> new Socket(to.getAddress(), to.getPort()))) {
            s.setSoTimeout(10_000);
            String body = method.equals("POST") ? "{}" : "";
            String request = method + " " + path + " HTTP/1.1\r\nhost: " + host + "\r\nconnection: close\r\n"
                    + "content-length: " + body.length() + "\r\n\r\n" + body;
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String raw = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            int headEnd = raw.indexOf("\r\n\r\n");
            if (!raw.startsWith("HTTP/1.1 ") || headEnd < 0) {
                throw new IOException("not an HTTP response: " + raw.substring(0, Math.min(80, raw.length())));
            }
            return new Response(Integer.parseInt(raw.substring(9, 12)), raw.substring(headEnd + 4).strip());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
