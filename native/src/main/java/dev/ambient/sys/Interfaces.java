package dev.ambient.sys;

/** Network devices of the calling thread's network namespace. */
public final class Interfaces {

    private Interfaces() {}

    /** The index of device {@code name}; fails with a clear message when it does not exist. */
    public static int index(String name) {
        int index = Native.libc().if_nametoindex(name);
        if (index == 0) {
            throw Native.lastError("if_nametoindex(" + name + ")");
        }
        return index;
    }
}
