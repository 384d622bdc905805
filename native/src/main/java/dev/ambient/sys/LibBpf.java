package dev.ambient.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/**
 * The libbpf.so.1 calls the datapath needs, bound through JNR-FFI; used only inside this package.
 * libbpf 1.x returns {@code -errno} from calls returning int, and NULL with errno set from calls
 * returning a pointer.
 */
public interface LibBpf {

    /** Attach types of tcx links (kernel 6.6+); the distribution's headers predate them. */
    int BPF_TCX_INGRESS = 46;
    int BPF_TCX_EGRESS = 47;
    /** bpf_map_update_elem flag: create or replace. */
    long BPF_ANY = 0;

    @SaveError
    Pointer bpf_object__open_file(String path, Pointer opts);

    int bpf_object__load(Pointer object);

    void bpf_object__close(Pointer object);

    Pointer bpf_object__find_program_by_name(Pointer object, String name);

    Pointer bpf_object__find_map_by_name(Pointer object, String name);

    int bpf_program__fd(Pointer program);

    int bpf_map__fd(Pointer map);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    int bpf_obj_pin(int fd, String path);

    int bpf_obj_get(String path);

    int bpf_link_create(int programFd, int targetFd, int attachType, Pointer opts);

    int bpf_link_update(int linkFd, int newProgramFd, Pointer opts);

    int bpf_prog_test_run_opts(int programFd, Pointer opts);

    int libbpf_num_possible_cpus();

    /** clsact (tc) attachment, for kernels before 6.6 that have no tcx. */
    int BPF_TC_INGRESS = 1;
    int BPF_TC_EGRESS = 2;
    int BPF_TC_F_REPLACE = 1;

    int bpf_tc_hook_create(Pointer hook);

    int bpf_tc_hook_destroy(Pointer hook);

    int bpf_tc_attach(Pointer hook, Pointer opts);

    int bpf_tc_detach(Pointer hook, Pointer opts);
}
