package dev.ambient.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A loaded BPF object file (one compiled program file): its programs and maps. Maps declared with
 * {@code LIBBPF_PIN_BY_NAME} are pinned under {@code pinRoot}, or reused from there when a previous
 * load (another program of the node, or an agent before a restart) pinned them already. Closing
 * unloads programs that nothing else holds; pinned maps stay until unpinned.
 */
public final class BpfObject implements AutoCloseable {

    /** struct bpf_object_open_opts of libbpf 1.x, x86_64 layout. */
    private static final int OPEN_OPTS_SIZE = 80;
    private static final int OPEN_OPTS_PIN_ROOT = 24;

    private final Path file;
    private final Pointer object;
    private final Map<String, BpfProgram> programs = new HashMap<>();
    private final Map<String, BpfMap> maps = new HashMap<>();
    private boolean closed;

    private BpfObject(Path file, Pointer object) {
        this.file = file;
        this.object = object;
    }

    /** Opens and loads {@code file}, pinning (or reusing) its pinned maps under {@code pinRoot}. */
    public static BpfObject load(Path file, Path pinRoot) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("BPF object " + file + " does not exist or cannot be read");
        }
        LibBpf bpf = Native.libbpf();
        Pointer opts = Memory.allocateDirect(Native.runtime(), OPEN_OPTS_SIZE, true);
        Pointer pinRootString = cString(pinRoot.toString());
        opts.putLong(0, OPEN_OPTS_SIZE);
        opts.putAddress(OPEN_OPTS_PIN_ROOT, pinRootString.address());
        Pointer object = bpf.bpf_object__open_file(file.toString(), opts);
        if (object == null || object.address() == 0) {
            throw Native.lastError("bpf_object__open_file(" + file + ")");
        }
        int loaded = bpf.bpf_object__load(object);
        if (loaded < 0) {
            bpf.bpf_object__close(object);
            NativeException e = new NativeException("bpf_object__load(" + file.getFileName() + ")", -loaded,
                    Native.libc().strerror(-loaded));
            throw new IllegalStateException(e.getMessage() + (-loaded == 1 || -loaded == 13
                    ? "; loading BPF programs needs CAP_BPF and CAP_NET_ADMIN (run as root)"
                    : "; the verifier's reasons are in the process's standard error"), e);
        }
        return new BpfObject(file, object);
    }

    public synchronized BpfProgram program(String name) {
        ensureOpen();
        return programs.computeIfAbsent(name, n -> {
            Pointer program = Native.libbpf().bpf_object__find_program_by_name(object, n);
            if (program == null || program.address() == 0) {
                throw new IllegalArgumentException("BPF object " + file + " has no program " + n);
            }
            return new BpfProgram(n, Native.checkResult(Native.libbpf().bpf_program__fd(program), "bpf_program__fd(" + n + ")"));
        });
    }

    public synchronized BpfMap map(String name) {
        ensureOpen();
        return maps.computeIfAbsent(name, n -> {
            Pointer map = Native.libbpf().bpf_object__find_map_by_name(object, n);
            if (map == null || map.address() == 0) {
                throw new IllegalArgumentException("BPF object " + file + " has no map " + n);
            }
            return new BpfMap(n, Native.checkResult(Native.libbpf().bpf_map__fd(map), "bpf_map__fd(" + n + ")"));
        });
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BUG: BPF object " + file + " used after close");
        }
    }

    static Pointer cString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(Native.runtime(), bytes.length + 1, true);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.libbpf().bpf_object__close(object);
        }
    }
}
