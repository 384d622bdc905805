/* On the host side of every pod's veth: packets leaving the pod. An enrolled pod's new connections go
 * to the outbound listener (15001), and replies to the proxy's connections into it go back to the
 * proxy; a pod outside the mesh calling an enrolled pod is captured inbound, as on an uplink. */
#include "steer.h"

SEC("tc")
int pod_ingress(struct __sk_buff *skb)
{
	return steer(skb, 1);
}

char LICENSE[] SEC("license") = "GPL";
