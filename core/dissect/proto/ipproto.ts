// IP protocol numbers as Wireshark names them (epan/ipproto.c, ipproto_val), shared by ip.proto,
// ipv6.nxt and the extension headers' next-header fields. The ones a lab capture meets.
export const IP_PROTOCOLS: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 8: 'EGP', 9: 'IGRP', 17: 'UDP',
  27: 'Reliable Data', 33: 'Datagram Congestion Control Protocol', 41: 'IPv6', 43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6', 46: 'Reservation Protocol', 47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload', 51: 'Authentication Header', 58: 'ICMPv6', 59: 'No Next Header for IPv6',
  60: 'Destination Options for IPv6', 88: 'EIGRP', 89: 'OSPF IGP', 103: 'PIM', 112: 'VRRP', 115: 'Layer 2 Tunneling Protocol v3',
  132: 'SCTP', 135: 'Mobile IPv6 Mobility Header', 136: 'UDPLite', 137: 'MPLS in IP', 139: 'Host Identity Protocol',
  143: 'Ethernet', 253: 'Experimental 1', 254: 'Experimental 2',
};

/** ipprotostr(): the name, or "Unknown" as Wireshark prints an unlisted number. */
export function ipProtoName(p: number): string {
  return IP_PROTOCOLS[p] ?? 'Unknown';
}
