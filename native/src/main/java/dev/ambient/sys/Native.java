package dev.ambient.sys;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads the native libraries once and turns failed calls into {@link NativeException}s, in one place. */
public final class Native {

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {}

    public static LibC libc() {
        return LIBC;
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
