/* Shared by every capture program and mirrored, constant for constant, by
 * dev.ambient.bpf.CaptureAbi on the Java side. Change both together. */
#ifndef AMBIENT_CAPTURE_H
#define AMBIENT_CAPTURE_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* Flags of an enrolled pod (enrolled_pods value). */
#define POD_DRAINING 0x1 /* established flows still go to the proxy, new ones are not captured */

/* Flags of the node (config value). */
#define CFG_FAIL_OPEN 0x1 /* no listener: let the packet pass instead of dropping it */

/* Counter slots (counters map, one u64 per CPU each). */
#define CNT_OUTBOUND_NEW     0 /* SYN from an enrolled pod assigned to the outbound listener */
#define CNT_INBOUND_NEW      1 /* SYN to an enrolled pod assigned to the inbound plaintext listener */
#define CNT_HBONE_NEW        2 /* SYN to an enrolled pod's port 15008 assigned to the HBONE listener */
#define CNT_ESTABLISHED      3 /* packet of a flow the proxy owns, assigned to its socket */
#define CNT_BYPASS           4 /* packet left alone: not enrolled, not TCP, or mid-stream and not ours */
#define CNT_NO_LISTENER      5 /* new flow of an enrolled pod with no listener: dropped (fail closed) */
#define CNT_DRAINING         6 /* new flow of a draining pod: left alone */
#define CNT_PROXY_OWN        7 /* the proxy's own packet (mark): never recaptured */
#define CNT_ASSIGN_FAILED    8 /* bpf_sk_assign refused (counted also in the slot of the decision): dropped */
#define CNT_SLOTS            9

struct pod_key {
	__u32 addr; /* IPv4, network order */
};

struct pod_value {
	__u32 ifindex; /* host-side veth */
	__u32 flags;   /* POD_* */
};

struct capture_config {
	__u32 listen_addr;   /* address the proxy listeners are bound to, network order (0: any) */
	__u16 outbound_port; /* 15001, host order */
	__u16 inbound_port;  /* 15006 */
	__u16 hbone_port;    /* 15008 */
	__u16 pad0;
	__u32 capture_mark;  /* set on captured packets; selects the local-delivery route */
	__u32 proxy_mark;    /* set by the proxy on its own sockets; such packets are never captured */
	__u32 flags;         /* CFG_* */
	__u64 proxy_cgroup;  /* reserved: cgroup id of the proxy (0: unused); offset 24, 8-aligned */
};

/* CaptureAbi encodes these layouts byte for byte; the build fails if they move. */
_Static_assert(sizeof(struct pod_value) == 8, "CaptureAbi.POD_VALUE_SIZE");
_Static_assert(sizeof(struct capture_config) == 32, "CaptureAbi.CONFIG_SIZE");
_Static_assert(__builtin_offsetof(struct capture_config, proxy_cgroup) == 24, "CaptureAbi.config");

#endif
