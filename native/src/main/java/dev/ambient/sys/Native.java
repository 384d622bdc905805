package dev.ambient.sys;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads the native libraries once and turns failed calls into {@link NativeException}s, in one place. */
public final class Native {

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    private static volatile LibBpf libbpf;

    private Native() {}

    public static LibC libc() {
        return LIBC;
    }

    /** libbpf.so.1, loaded on first use so that code that never touches BPF never needs it. */
    public static LibBpf libbpf() {
        LibBpf lib = libbpf;
        if (lib == null) {
            synchronized (Native.class) {
                if (libbpf == null) {
                    try {
                        libbpf = LibraryLoader.create(LibBpf.class).load("libbpf.so.1");
                    } catch (UnsatisfiedLinkError e) {
                        throw new IllegalStateException("libbpf.so.1 cannot be loaded (" + e.getMessage()
                                + "); install the distribution's libbpf1 package", e);
                    }
                }
                lib = libbpf;
            }
        }
        return lib;
    }

    static Runtime runtime() {
        return RUNTIME;
    }

    /** libbpf style: {@code result} is a negative errno on failure. */
    public static int checkResult(int result, String call) {
        if (result >= 0) {
            return result;
        }
        throw new NativeException(call, -result, LIBC.strerror(-result));
    }

    /** The errno saved by the last {@code @SaveError} call of this thread, as an exception. */
    static NativeException lastError(String call) {
        int errno = LastError.getLastError(RUNTIME);
        return new NativeException(call, errno, LIBC.strerror(errno));
    }

    /** Returns {@code result} when it is not negative, else throws with the saved errno. */
    public static int check(int result, String call) {
        if (result >= 0) {
            return result;
        }
        int errno = LastError.getLastError(RUNTIME);
        throw new NativeException(call, errno, LIBC.strerror(errno));
    }
}
