package dev.ambient.bpf;

import dev.ambient.sys.BpfMap;
import dev.ambient.sys.BpfObject;
import dev.ambient.sys.BpfProgram;
import dev.ambient.sys.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded capture programs of one node and their shared maps, pinned under the node's pin root
 * (a restarted agent finds the maps there and reuses them, enrolment included). The compiled objects
 * ship in this jar; libbpf wants files, so they are copied out once.
 */
public final class CapturePrograms implements AutoCloseable {

    /** The programs, one object file each. */
    public enum Hook {
        POD_INGRESS("pod_ingress"), UPLINK_INGRESS("uplink_ingress");

        final String name;

        Hook(String name) {
            this.name = name;
        }
    }

    private final Map<Hook, BpfObject> objects = new EnumMap<>(Hook.class);
    private final Path pinRoot;
    private final int cpus;

    private CapturePrograms(Path pinRoot) {
        this.pinRoot = pinRoot;
        this.cpus = Native.checkResult(Native.libbpf().libbpf_num_possible_cpus(), "libbpf_num_possible_cpus");
    }

    /**
     * Loads every program with its maps pinned (or reused) under {@code pinRoot}, which must be a
     * directory on a mounted bpffs.
     */
    public static CapturePrograms load(Path pinRoot, Path scratch) {
        BpfFs.require(pinRoot);
        CapturePrograms programs = new CapturePrograms(pinRoot);
        try {
            for (Hook hook : Hook.values()) {
                programs.objects.put(hook, BpfObject.load(extract(hook, scratch), pinRoot));
            }
            return programs;
        } catch (RuntimeException e) {
            programs.close();
            throw e;
        }
    }

    private static Path extract(Hook hook, Path scratch) {
        String resource = "/bpf/" + hook.name + ".o";
        try (InputStream in = CapturePrograms.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("BUG: " + resource + " is missing from the bpf jar");
            }
            Files.createDirectories(scratch);
            Path file = scratch.resolve(hook.name + ".o");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write BPF object to " + scratch + ": " + e.getMessage(), e);
        }
    }

    public BpfProgram program(Hook hook) {
        return objects.get(hook).program(hook.name);
    }

    private BpfMap map(String name) {
        return objects.get(Hook.POD_INGRESS).map(name);
    }

    public Path pinRoot() {
        return pinRoot;
    }

    public void configure(CaptureConfig config) {
        map(CaptureAbi.MAP_CONFIG).put(CaptureAbi.index(0), CaptureAbi.config(config));
    }

    /** Captures the pod's new connections from now on. */
    public void enrol(Inet4Address pod, int ifindex) {
        map(CaptureAbi.MAP_PODS).put(CaptureAbi.podKey(pod), CaptureAbi.podValue(ifindex, 0));
    }

    /** Flows the proxy already holds keep going through it; new ones are no longer captured. */
    public void drain(Inet4Address pod, int ifindex) {
        map(CaptureAbi.MAP_PODS).put(CaptureAbi.podKey(pod), CaptureAbi.podValue(ifindex, CaptureAbi.POD_DRAINING));
    }

    public void unenrol(Inet4Address pod) {
        map(CaptureAbi.MAP_PODS).delete(CaptureAbi.podKey(pod));
    }

    /** The pod's flags when enrolled. */
    public Optional<Integer> enrolment(Inet4Address pod) {
        return map(CaptureAbi.MAP_PODS).get(CaptureAbi.podKey(pod), CaptureAbi.POD_VALUE_SIZE).map(CaptureAbi::podFlags);
    }

    /** One counter, summed over CPUs. */
    public long counter(int slot) {
        return map(CaptureAbi.MAP_COUNTERS).get(CaptureAbi.index(slot), 8 * cpus)
                .map(v -> CaptureAbi.sumPerCpu(v, cpus)).orElse(0L);
    }

    @Override
    public void close() {
        objects.values().forEach(BpfObject::close);
        objects.clear();
    }
}
