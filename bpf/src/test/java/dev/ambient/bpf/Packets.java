package dev.ambient.bpf;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/** Hand-built Ethernet/IPv4/TCP frames for BPF_PROG_TEST_RUN. */
final class Packets {

    static final int SYN = 0x02;
    static final int ACK = 0x10;

    private Packets() {}

    static byte[] tcp(Inet4Address src, int sport, Inet4Address dst, int dport, int flags) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(src.getAddress()).put(dst.getAddress());
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(flags == SYN ? 0 : 2000)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    static byte[] udp(Inet4Address src, Inet4Address dst) {
        byte[] frame = tcp(src, 1000, dst, 53, 0);
        frame[14 + 9] = 17;
        return frame;
    }
}
