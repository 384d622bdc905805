package dev.ambient.ztunnel.socks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A minimal SOCKS5 CONNECT client for the ztunnel's SOCKS5 listener. The caller chooses the source
 * address, which is what names the source workload; the demo, the bench and the tests use it.
 */
public final class Socks5Client {

    /** The SOCKS5 reply code of a failed CONNECT. */
    public static final class Refused extends IOException {
        public final int code;

        Refused(int code) {
            super("SOCKS5 CONNECT refused with reply code " + code);
            this.code = code;
        }
    }

    private Socks5Client() {}

    /** Connects from {@code source} through the proxy to {@code destination}; the socket is ready for data. */
    public static Socket connect(InetAddress source, InetSocketAddress proxy, InetSocketAddress destination)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(proxy, 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(new byte[] {5, 1, 0});
            out.flush();
            byte[] method = new byte[2];
            in.readFully(method);
            if (method[0] != 5 || method[1] != 0) {
                throw new IOException("SOCKS5 proxy refused no-auth: " + method[1]);
            }
            byte[] address = destination.getAddress().getAddress();
            byte[] request = new byte[6 + address.length];
            request[0] = 5;
            request[1] = 1;
            request[3] = (byte) (address.length == 4 ? 1 : 4);
            System.arraycopy(address, 0, request, 4, address.length);
            request[4 + address.length] = (byte) (destination.getPort() >> 8);
            request[5 + address.length] = (byte) destination.getPort();
            out.write(request);
            out.flush();
            byte[] reply = new byte[10];
            in.readFully(reply, 0, 4);
            if (reply[1] != 0) {
                throw new Refused(reply[1]);
            }
            int rest = reply[3] == 4 ? 18 : 6;
            in.readFully(new byte[rest]);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
