package dev.ambient.sys;

import java.nio.file.Path;

/**
 * A tcx attachment of a program to a network device (kernel 6.6+). The attachment lives as long as
 * the link's file descriptor, or its pin: closing an unpinned link detaches the program. A pinned
 * link survives the agent, so a restarted agent can take it back and swap the program in place.
 */
public final class BpfLink implements AutoCloseable {

    private final int fd;
    private final String what;
    private boolean closed;

    private BpfLink(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /**
     * Attaches {@code program} to device {@code ifindex} of the calling thread's network namespace.
     *
     * @param ingress ingress (packets the device receives) or egress
     */
    public static BpfLink attachTcx(BpfProgram program, int ifindex, boolean ingress) {
        String what = program.name() + " on ifindex " + ifindex + (ingress ? " ingress" : " egress");
        int result = Native.libbpf().bpf_link_create(program.fd(), ifindex,
                ingress ? LibBpf.BPF_TCX_INGRESS : LibBpf.BPF_TCX_EGRESS, null);
        if (result == -22) { // EINVAL: no tcx on this kernel
            throw new IllegalStateException("cannot attach " + what + ": this kernel has no tcx links (needs "
                    + "Linux 6.6 or newer)", new NativeException("bpf_link_create", 22, "Invalid argument"));
        }
        return new BpfLink(Native.checkResult(result, "bpf_link_create(" + what + ")"), what);
    }

    /** Takes back a link pinned by an earlier agent. */
    public static BpfLink fromPin(Path pin) {
        int fd = Native.checkResult(Native.libbpf().bpf_obj_get(pin.toString()), "bpf_obj_get(" + pin + ")");
        return new BpfLink(fd, "link pinned at " + pin);
    }

    /** Replaces the attached program in place: no moment without a program. */
    public void update(BpfProgram program) {
        Native.checkResult(Native.libbpf().bpf_link_update(fd, program.fd(), null),
                "bpf_link_update(" + what + " -> " + program.name() + ")");
    }

    public void pin(Path path) {
        Native.checkResult(Native.libbpf().bpf_obj_pin(fd, path.toString()), "bpf_obj_pin(" + what + ", " + path + ")");
    }

    public int fd() {
        return fd;
    }

    /** Closes our handle; the program stays attached only if the link is pinned. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.libc().close(fd);
        }
    }
}
