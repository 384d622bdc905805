package dev.ambient.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/** The libc calls the project needs; bound through JNR-FFI, used only inside this package. */
public interface LibC {

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    @SaveError
    int open(String path, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    int setns(int fd, int nstype);

    String strerror(int errno);

    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    long sendto(int fd, Pointer buffer, long length, int flags, Pointer address, int addressLength);

    @SaveError
    long recv(int fd, Pointer buffer, long length, int flags);

    @SaveError
    int setsockopt(int fd, int level, int option, Pointer value, int length);

    @SaveError
    int getsockopt(int fd, int level, int option, Pointer value, Pointer length);

    /** The device name for an index, written into {@code name} (16 bytes); null when there is none. */
    @SaveError
    Pointer if_indextoname(int index, Pointer name);

    /** 0 when there is no such device in the calling thread's namespace. */
    @SaveError
    int if_nametoindex(String name);
}
