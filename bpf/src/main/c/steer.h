/* The workers behind the thin program entries: parse, look up, assign. Each returns a TC verdict. */
#ifndef AMBIENT_STEER_H
#define AMBIENT_STEER_H

#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include "maps.h"

#define TCP_LISTEN_STATE 10 /* TCP_LISTEN in the kernel's enum */

struct flow {
	struct bpf_sock_tuple tuple;
	__u8 syn;
};

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&capture_counters, &slot);
	if (value)
		*value += 1;
}

static __always_inline struct capture_config *config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&capture_config, &zero);
}

/* Fills flow from an IPv4 TCP packet; returns 0, or -1 for anything else. */
static __always_inline int parse(struct __sk_buff *skb, struct flow *flow)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return -1;
	struct tcphdr *tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > end)
		return -1;
	flow->tuple.ipv4.saddr = ip->saddr;
	flow->tuple.ipv4.daddr = ip->daddr;
	flow->tuple.ipv4.sport = tcp->source;
	flow->tuple.ipv4.dport = tcp->dest;
	flow->syn = tcp->syn && !tcp->ack;
	return 0;
}

/* Hands the packet to sk and makes sure the stack delivers it locally. The slot counts the decision;
 * a refused assignment is also counted, and the packet dropped (fail closed). */
static __always_inline int assign(struct __sk_buff *skb, struct bpf_sock *sk, struct capture_config *cfg, __u32 slot)
{
	count(slot);
	long err = bpf_sk_assign(skb, sk, 0);
	bpf_sk_release(sk);
	if (err) {
		count(CNT_ASSIGN_FAILED);
		return TC_ACT_SHOT;
	}
	skb->mark |= cfg->capture_mark;
	bpf_skb_change_type(skb, PACKET_HOST);
	return TC_ACT_OK;
}

/* If a non-listening socket of this namespace owns the packet's 4-tuple (a captured flow, or the
 * reply to the proxy's own upstream connection), assign it there. Returns -1 when none does. */
static __always_inline int to_established(struct __sk_buff *skb, struct flow *flow, struct capture_config *cfg)
{
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &flow->tuple, sizeof(flow->tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return -1;
	if (sk->state == TCP_LISTEN_STATE) {
		bpf_sk_release(sk);
		return -1;
	}
	return assign(skb, sk, cfg, CNT_ESTABLISHED);
}

/* A new flow goes to the listener on port; none there means the proxy is gone: fail closed. */
static __always_inline int to_listener(struct __sk_buff *skb, struct flow *flow, struct capture_config *cfg,
		__u16 port, __u32 slot)
{
	struct bpf_sock_tuple listener = {};
	listener.ipv4.saddr = flow->tuple.ipv4.saddr;
	listener.ipv4.sport = flow->tuple.ipv4.sport;
	listener.ipv4.daddr = cfg->listen_addr;
	listener.ipv4.dport = bpf_htons(port);
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &listener, sizeof(listener.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk || sk->state != TCP_LISTEN_STATE) {
		if (sk)
			bpf_sk_release(sk);
		count(CNT_NO_LISTENER);
		return (cfg->flags & CFG_FAIL_OPEN) ? TC_ACT_OK : TC_ACT_SHOT;
	}
	return assign(skb, sk, cfg, slot);
}

/* Shared shape of both directions: the proxy's own packets pass, owned flows go to their socket,
 * new flows of an enrolled, non-draining pod go to a listener, everything else passes. On a pod's
 * veth (from_pod) the source decides first: an enrolled pod's connections are outbound; a pod outside
 * the mesh calling an enrolled pod is inbound, as on an uplink. */
static __always_inline int steer(struct __sk_buff *skb, int from_pod)
{
	struct capture_config *cfg = config();
	struct flow flow = {};
	if (!cfg || parse(skb, &flow)) {
		count(CNT_BYPASS);
		return TC_ACT_OK;
	}
	if (cfg->proxy_mark && (skb->mark & cfg->proxy_mark) == cfg->proxy_mark) {
		count(CNT_PROXY_OWN);
		return TC_ACT_OK;
	}
	int outbound = 0;
	struct pod_key key = { .addr = flow.tuple.ipv4.saddr };
	struct pod_value *pod = NULL;
	if (from_pod) {
		pod = bpf_map_lookup_elem(&enrolled_pods, &key);
		outbound = pod != NULL;
	}
	if (!pod) {
		key.addr = flow.tuple.ipv4.daddr;
		pod = bpf_map_lookup_elem(&enrolled_pods, &key);
	}
	if (!pod) {
		count(CNT_BYPASS);
		return TC_ACT_OK;
	}
	int verdict = to_established(skb, &flow, cfg);
	if (verdict >= 0)
		return verdict;
	if (!flow.syn) {
		/* Mid-stream and not ours: a connection opened before enrolment keeps working. */
		count(CNT_BYPASS);
		return TC_ACT_OK;
	}
	if (pod->flags & POD_DRAINING) {
		count(CNT_DRAINING);
		return TC_ACT_OK;
	}
	if (outbound)
		return to_listener(skb, &flow, cfg, cfg->outbound_port, CNT_OUTBOUND_NEW);
	if (flow.tuple.ipv4.dport == bpf_htons(cfg->hbone_port))
		return to_listener(skb, &flow, cfg, cfg->hbone_port, CNT_HBONE_NEW);
	return to_listener(skb, &flow, cfg, cfg->inbound_port, CNT_INBOUND_NEW);
}

#endif
