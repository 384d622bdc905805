package dev.ambient.sys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A BPF map seen through its file descriptor. Keys and values are raw bytes in the layout the C
 * header declares; the datapath encodes them, this class only moves them across.
 */
public final class BpfMap {

    private final String name;
    private final int fd;

    BpfMap(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    public String name() {
        return name;
    }

    public int fd() {
        return fd;
    }

    /** Creates or replaces the entry. */
    public void put(byte[] key, byte[] value) {
        Native.checkResult(Native.libbpf().bpf_map_update_elem(fd, copy(key), copy(value), LibBpf.BPF_ANY),
                "bpf_map_update_elem(" + name + ")");
    }

    /** The value for {@code key}; {@code valueSize} is the value's size (times CPUs for per-CPU maps). */
    public Optional<byte[]> get(byte[] key, int valueSize) {
        Pointer value = Memory.allocateDirect(Native.runtime(), valueSize, true);
        int result = Native.libbpf().bpf_map_lookup_elem(fd, copy(key), value);
        if (result == -2) { // ENOENT
            return Optional.empty();
        }
        Native.checkResult(result, "bpf_map_lookup_elem(" + name + ")");
        byte[] out = new byte[valueSize];
        value.get(0, out, 0, valueSize);
        return Optional.of(out);
    }

    /** Deletes the entry; true when it existed. */
    public boolean delete(byte[] key) {
        int result = Native.libbpf().bpf_map_delete_elem(fd, copy(key));
        if (result == -2) {
            return false;
        }
        Native.checkResult(result, "bpf_map_delete_elem(" + name + ")");
        return true;
    }

    /** Every key, for reconciliation after a restart. */
    public List<byte[]> keys(int keySize) {
        List<byte[]> keys = new ArrayList<>();
        Pointer current = null;
        Pointer next = Memory.allocateDirect(Native.runtime(), keySize, true);
        for (int i = 0; i < 1_000_000; i++) {
            int result = Native.libbpf().bpf_map_get_next_key(fd, current, next);
            if (result == -2) {
                return keys;
            }
            Native.checkResult(result, "bpf_map_get_next_key(" + name + ")");
            byte[] key = new byte[keySize];
            next.get(0, key, 0, keySize);
            keys.add(key);
            current = copy(key);
        }
        throw new IllegalStateException("BUG: map " + name + " did not end after a million keys");
    }

    private static Pointer copy(byte[] bytes) {
        Pointer p = Memory.allocateDirect(Native.runtime(), Math.max(bytes.length, 1), true);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }
}
