package dev.ambient.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * BPF_PROG_TEST_RUN: runs a program once on a hand-built packet, in the calling thread's network
 * namespace, and returns its verdict. How BPF programs are unit-tested without real traffic.
 */
public final class BpfTestRun {

    /** struct bpf_test_run_opts of libbpf 1.x, x86_64 layout. */
    private static final int OPTS_SIZE = 80;

    private BpfTestRun() {}

    /** struct __sk_buff, as far as test runs may set it; {@code mark} is at offset 8. */
    private static final int SKB_CONTEXT_SIZE = 192;

    /** The program's return value for {@code packet} (an Ethernet frame). */
    public static int run(BpfProgram program, byte[] packet) {
        return run(program, packet, 0);
    }

    /** As {@link #run(BpfProgram, byte[])}, with {@code skb->mark} preset. */
    public static int run(BpfProgram program, byte[] packet, int mark) {
        Pointer data = Memory.allocateDirect(Native.runtime(), packet.length, true);
        data.put(0, packet, 0, packet.length);
        Pointer opts = Memory.allocateDirect(Native.runtime(), OPTS_SIZE, true);
        opts.putLong(0, OPTS_SIZE);
        opts.putAddress(8, data.address());
        opts.putInt(24, packet.length);
        opts.putInt(60, 1); // repeat
        Pointer context = Memory.allocateDirect(Native.runtime(), SKB_CONTEXT_SIZE, true);
        context.putInt(8, mark);
        opts.putAddress(32, context.address());
        opts.putInt(48, SKB_CONTEXT_SIZE);
        Native.checkResult(Native.libbpf().bpf_prog_test_run_opts(program.fd(), opts),
                "bpf_prog_test_run_opts(" + program.name() + ")");
        return opts.getInt(56);
    }
}
