package dev.ambient.sys;

/** Network devices of the calling thread's network namespace. */
public final class Interfaces {

    private Interfaces() {}

    /** The name of device {@code index}, if it exists. */
    public static java.util.Optional<String> name(int index) {
        jnr.ffi.Pointer buffer = jnr.ffi.Memory.allocateDirect(Native.runtime(), 16, true);
        jnr.ffi.Pointer result = Native.libc().if_indextoname(index, buffer);
        return result == null || result.address() == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(buffer.getString(0));
    }

    /** Every device of the calling thread's namespace except loopback. */
    public static java.util.List<String> all() {
        try {
            return java.net.NetworkInterface.networkInterfaces().map(java.net.NetworkInterface::getName)
                    .filter(n -> !n.equals("lo")).sorted().toList();
        } catch (java.net.SocketException e) {
            throw new IllegalStateException("cannot list network devices: " + e.getMessage(), e);
        }
    }

    /** The index of device {@code name}; fails with a clear message when it does not exist. */
    public static int index(String name) {
        int index = Native.libc().if_nametoindex(name);
        if (index == 0) {
            throw Native.lastError("if_nametoindex(" + name + ")");
        }
        return index;
    }
}
