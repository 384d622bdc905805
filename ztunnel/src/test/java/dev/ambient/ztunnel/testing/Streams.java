package dev.ambient.ztunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Streams pseudo-random bytes through an echo connection and compares digests, without holding them. */
public final class Streams {

    /** Digest of what was sent, digest and count of what came back. */
    public record Digests(byte[] sentDigest, byte[] receivedDigest, long received) {}

    private Streams() {}

    /** Writes {@code size} bytes (then half-closes) while reading the echo until EOF. */
    public static Digests echoRoundTrip(Socket socket, int size, long seed) throws Exception {
        CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> {
            try {
                return write(socket.getOutputStream(), size, seed, socket);
            } catch (IOException e) {
                throw new IllegalStateException("writing failed", e);
            }
        }, r -> Thread.ofVirtual().start(r));
        MessageDigest received = sha256();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            received.update(buf, 0, n);
            total += n;
        }
        return new Digests(sent.get(60, TimeUnit.SECONDS), received.digest(), total);
    }

    private static byte[] write(OutputStream out, int size, long seed, Socket socket) throws IOException {
        MessageDigest digest = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[32 * 1024];
        int left = size;
        while (left > 0) {
            int n = Math.min(left, chunk.length);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    chunk[i + j] = (byte) (v >>> (8 * j));
                }
            }
            out.write(chunk, 0, n);
            digest.update(chunk, 0, n);
            left -= n;
        }
        out.flush();
        socket.shutdownOutput();
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
