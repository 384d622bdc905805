package dev.ambient.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A program attached through a clsact qdisc, the way before tcx links (Linux 6.6). Unlike a link, a
 * tc filter stays on its device until removed, with no pin: a restarted agent replaces it in place
 * by attaching again at the same handle and priority.
 */
public final class TcFilter {

    /** struct bpf_tc_hook and struct bpf_tc_opts of libbpf 1.x, x86_64 layout. */
    private static final int HOOK_SIZE = 24;
    private static final int OPTS_SIZE = 32;

    private final int ifindex;
    private final boolean ingress;
    private final int handle;
    private final int priority;

    private TcFilter(int ifindex, boolean ingress, int handle, int priority) {
        this.ifindex = ifindex;
        this.ingress = ingress;
        this.handle = handle;
        this.priority = priority;
    }

    /**
     * Attaches {@code program} on device {@code ifindex} of the calling thread's namespace, replacing
     * whatever filter sits at the same handle and priority.
     */
    public static TcFilter attach(BpfProgram program, int ifindex, boolean ingress, int handle, int priority) {
        Pointer hook = hook(ifindex, ingress);
        int created = Native.libbpf().bpf_tc_hook_create(hook);
        if (created < 0 && created != -17) { // EEXIST: the clsact qdisc is already there
            Native.checkResult(created, "bpf_tc_hook_create(ifindex " + ifindex + ")");
        }
        Pointer opts = Memory.allocateDirect(Native.runtime(), OPTS_SIZE, true);
        opts.putLong(0, OPTS_SIZE);
        opts.putInt(8, program.fd());
        opts.putInt(12, LibBpf.BPF_TC_F_REPLACE);
        opts.putInt(20, handle);
        opts.putInt(24, priority);
        Native.checkResult(Native.libbpf().bpf_tc_attach(hook, opts),
                "bpf_tc_attach(" + program.name() + " on ifindex " + ifindex + ")");
        return new TcFilter(ifindex, ingress, opts.getInt(20), opts.getInt(24));
    }

    /** Removes the filter; a device that is already gone took it with it. */
    public void detach() {
        detachAt(ifindex, ingress, handle, priority);
    }

    /** Removes the filter at {@code handle} and {@code priority}, if there is one. */
    public static void detachAt(int ifindex, boolean ingress, int handle, int priority) {
        Pointer opts = Memory.allocateDirect(Native.runtime(), OPTS_SIZE, true);
        opts.putLong(0, OPTS_SIZE);
        opts.putInt(20, handle);
        opts.putInt(24, priority);
        int result = Native.libbpf().bpf_tc_detach(hook(ifindex, ingress), opts);
        if (result < 0 && result != -2 && result != -19) { // ENOENT, ENODEV
            Native.checkResult(result, "bpf_tc_detach(ifindex " + ifindex + ")");
        }
    }

    private static Pointer hook(int ifindex, boolean ingress) {
        Pointer hook = Memory.allocateDirect(Native.runtime(), HOOK_SIZE, true);
        hook.putLong(0, HOOK_SIZE);
        hook.putInt(8, ifindex);
        hook.putInt(12, ingress ? LibBpf.BPF_TC_INGRESS : LibBpf.BPF_TC_EGRESS);
        return hook;
    }
}
