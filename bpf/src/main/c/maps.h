/* The maps every capture program shares. Pinned by name under the node's pin root, so the
 * programs of one node, and a restarted agent, all see the same maps. */
#ifndef AMBIENT_MAPS_H
#define AMBIENT_MAPS_H

#include "capture.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct pod_key);
	__type(value, struct pod_value);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} enrolled_pods SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct capture_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} capture_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} capture_counters SEC(".maps");

#endif
