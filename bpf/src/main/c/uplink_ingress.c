/* On every other device traffic arrives on (uplinks, veths of pods outside the mesh): packets for
 * enrolled pods. New connections go to the HBONE listener (15008) or the inbound plaintext listener
 * (15006). Capturing at each ingress device, not at the pod's egress, matters: TCP early demux would
 * otherwise attach the proxy's socket and ip_forward would drop the packet. */
#include "steer.h"

SEC("tc")
int uplink_ingress(struct __sk_buff *skb)
{
	return steer(skb, 0);
}

char LICENSE[] SEC("license") = "GPL";
