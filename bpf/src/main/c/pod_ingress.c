/* On the host side of an enrolled pod's veth: packets leaving the pod. Its new connections go to
 * the outbound listener (15001); replies to the proxy's connections into the pod go back to it. */
#include "steer.h"

SEC("tc")
int pod_ingress(struct __sk_buff *skb)
{
	return steer(skb, 1);
}

char LICENSE[] SEC("license") = "GPL";
