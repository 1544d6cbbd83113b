// ICMPv6 (RFC 4443; Wireshark's packet-icmpv6.c): errors with the quoted IPv6 packet, echo with
// request/reply matching, neighbour discovery (RFC 4861: router and neighbour solicitation and
// advertisement, with their options) and MLDv2 reports (RFC 3810). The checksum is verified over the
// RFC 8200 8.1 pseudo-header when the whole message is here, as Wireshark does.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { formatEther, formatIPv6 } from '../../fields/addr.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addExtEcho } from './ext-echo.js';
import { dissectIcmpExtension } from './icmp.js';
import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED, addChecksumStatus, dissectQuoted, inErrorPacket, lastIpTtl } from './ip.js';
import { type EchoFields, echoMatch, internetChecksum, verifyChecksum } from './icmp.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo } from '../frame.js';
import { dissectIpv6 } from './ipv6.js';
import { readName } from './dns.js';

export const proto_icmpv6 = defineProtocol('icmpv6', 'Internet Control Message Protocol v6', 'ICMPv6');

/** icmpv6_type_val of packet-icmpv6.c 4.0 (`tshark -G values` for icmpv6.type). */
const TYPES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation', 127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 143: 'Multicast Listener Report Message v2',
  139: 'Node Information Query', 140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement', 144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply', 146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation', 149: 'Certification Path Advertisement', 150: 'Experimental Mobility',
  151: 'Multicast Router Advertisement', 152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination',
  154: 'FMIPv6', 155: 'RPL Control', 156: 'Locator Update', 157: 'Duplicate Address Request',
  158: 'Duplicate Address Confirmation', 159: 'MPL Control Message', 160: 'Extended Echo request', 161: 'Extended Echo reply',
  200: 'Private experimentation', 201: 'Private experimentation', 255: 'Reserved for expansion of ICMPv6 informational messages',
};
const CODES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: { 0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable',
    4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination', 7: 'Error in Source Routing Header' },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  138: { 0: 'Command', 1: 'Result', 255: 'Sequence number reset' },
  // RFC 4620 section 4 (packet-icmpv6.c ni_query_code_indicator / ni_reply_code_indicator).
  139: { 0: 'Query subject = IPv6 addresses', 1: 'Query subject = Name or none', 2: 'Query subject = IPv4 addresses' },
  140: { 0: 'Successful', 1: 'Responder refuses to answer', 2: 'Qtype is unknown to the Responder' },
  // RFC 8335 section 3 (packet-icmpv6.c ext_echo_req_code_str / ext_echo_reply_code_str).
  160: { 0: 'No error' },
  161: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered',
    3: 'IPv6 First Fragment has incomplete IPv6 Header Chain' },
};
/** RFC 4191 2.1 route preference (packet-icmpv6.c nd_flag_router_pref). */
const ROUTE_PREF: Readonly<Record<number, string>> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };
/** RFC 4620 section 4 Qtypes (packet-icmpv6.c ni_qtype_val). */
const NI_QTYPES: Readonly<Record<number, string>> = { 0: 'NOOP', 1: 'Unused', 2: 'Node Name', 3: 'Node addresses', 4: 'IPv4 node addresses' };
/** option_vals of packet-icmpv6.c 4.0 (`tshark -G values` for icmpv6.opt.type). */
const OPT_TYPES: Readonly<Record<number, string>> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header',
  5: 'MTU', 6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information',
  9: 'Source Address List', 10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp', 14: 'Nonce',
  15: 'Trust Anchor', 16: 'Certificate', 17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information',
  19: 'Link-layer Address', 20: 'Neighbor Advertisement Acknowledgment', 23: 'MAP', 24: 'Route Information',
  25: 'Recursive DNS Server', 26: 'RA Flags Extension', 27: 'Handover Key Request', 28: 'Handover Key Reply',
  29: 'Handover Assist Information', 30: 'Mobile Node Identifier Option', 31: 'DNS Search List Option',
  32: 'Proxy Signature (PS)', 33: 'Address Registration Option', 34: '6LoWPAN Context Option',
  35: 'Authoritative Border Router', 36: '6LoWPAN Capability Indication Option', 37: 'DHCP Captive-Portal',
  38: 'PREF64 Option', 138: 'CARD Request', 139: 'CARD Reply', 253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};
const MAR_TYPES: Readonly<Record<number, string>> = {
  1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources',
};

// Link-layer addresses print with colons in tshark 4.0's -T fields, other byte fields without.
export const hf_icmpv6 = defineFields(proto_icmpv6, {
  type: { abbrev: 'icmpv6.type', name: 'Type', type: FT.UINT8, base: Base.DEC, strings: TYPES },
  code: { abbrev: 'icmpv6.code', name: 'Code', type: FT.UINT8, base: Base.DEC },
  checksum: { abbrev: 'icmpv6.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'icmpv6.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  reserved: { abbrev: 'icmpv6.reserved', name: 'Reserved', type: FT.BYTES },
  mtu: { abbrev: 'icmpv6.mtu', name: 'MTU', type: FT.UINT32, base: Base.DEC },
  pointer: { abbrev: 'icmpv6.pointer', name: 'Pointer', type: FT.UINT32, base: Base.DEC },
  echo_identifier: { abbrev: 'icmpv6.echo.identifier', name: 'Identifier', type: FT.UINT16, base: Base.HEX },
  echo_sequence_number: { abbrev: 'icmpv6.echo.sequence_number', name: 'Sequence', type: FT.UINT16, base: Base.DEC },
  resp_in: { abbrev: 'icmpv6.resp_in', name: 'Response In', type: FT.FRAMENUM },
  resp_to: { abbrev: 'icmpv6.resp_to', name: 'Response To', type: FT.FRAMENUM },
  resptime: { abbrev: 'icmpv6.resptime', name: 'Response Time', type: FT.DOUBLE, unit: ' ms' },
  ra_cur_hop_limit: { abbrev: 'icmpv6.nd.ra.cur_hop_limit', name: 'Cur hop limit', type: FT.UINT8, base: Base.DEC },
  ra_flag: { abbrev: 'icmpv6.nd.ra.flag', name: 'Flags', type: FT.UINT8, base: Base.HEX },
  ra_flag_m: { abbrev: 'icmpv6.nd.ra.flag.m', name: 'Managed address configuration', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80, tfs: ['Set', 'Not set'] },
  ra_flag_o: { abbrev: 'icmpv6.nd.ra.flag.o', name: 'Other configuration', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x40, tfs: ['Set', 'Not set'] },
  ra_flag_h: { abbrev: 'icmpv6.nd.ra.flag.h', name: 'Home Agent', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x20, tfs: ['Set', 'Not set'] },
  ra_flag_prf: { abbrev: 'icmpv6.nd.ra.flag.prf', name: 'Prf (Default Router Preference)', type: FT.UINT8, base: Base.DEC, bitmask: 0x18, strings: { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' } },
  ra_flag_p: { abbrev: 'icmpv6.nd.ra.flag.p', name: 'Proxy', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x04, tfs: ['Set', 'Not set'] },
  ra_flag_rsv: { abbrev: 'icmpv6.nd.ra.flag.rsv', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0x03 },
  ra_router_lifetime: { abbrev: 'icmpv6.nd.ra.router_lifetime', name: 'Router lifetime (s)', type: FT.UINT16, base: Base.DEC },
  ra_reachable_time: { abbrev: 'icmpv6.nd.ra.reachable_time', name: 'Reachable time (ms)', type: FT.UINT32, base: Base.DEC },
  ra_retrans_timer: { abbrev: 'icmpv6.nd.ra.retrans_timer', name: 'Retrans timer (ms)', type: FT.UINT32, base: Base.DEC },
  ns_target_address: { abbrev: 'icmpv6.nd.ns.target_address', name: 'Target Address', type: FT.IPv6 },
  na_flag: { abbrev: 'icmpv6.nd.na.flag', name: 'Flags', type: FT.UINT32, base: Base.HEX },
  na_flag_r: { abbrev: 'icmpv6.nd.na.flag.r', name: 'Router', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0x80000000, tfs: ['Set', 'Not set'] },
  na_flag_s: { abbrev: 'icmpv6.nd.na.flag.s', name: 'Solicited', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0x40000000, tfs: ['Set', 'Not set'] },
  na_flag_o: { abbrev: 'icmpv6.nd.na.flag.o', name: 'Override', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0x20000000, tfs: ['Set', 'Not set'] },
  na_flag_rsv: { abbrev: 'icmpv6.nd.na.flag.rsv', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x1fffffff },
  na_target_address: { abbrev: 'icmpv6.nd.na.target_address', name: 'Target Address', type: FT.IPv6 },
  opt: { abbrev: 'icmpv6.opt', name: 'ICMPv6 Option', type: FT.NONE },
  opt_type: { abbrev: 'icmpv6.opt.type', name: 'Type', type: FT.UINT8, base: Base.DEC, strings: OPT_TYPES },
  opt_length: { abbrev: 'icmpv6.opt.length', name: 'Length', type: FT.UINT8, base: Base.DEC },
  opt_reserved: { abbrev: 'icmpv6.opt.reserved', name: 'Reserved', type: FT.NONE },
  opt_linkaddr: { abbrev: 'icmpv6.opt.linkaddr', name: 'Link-layer address', type: FT.BYTES, base: Base.SEP_COLON },
  opt_src_linkaddr: { abbrev: 'icmpv6.opt.src_linkaddr', name: 'Source Link-layer address', type: FT.BYTES, base: Base.SEP_COLON },
  opt_target_linkaddr: { abbrev: 'icmpv6.opt.target_linkaddr', name: 'Target Link-layer address', type: FT.BYTES, base: Base.SEP_COLON },
  opt_prefix_length: { abbrev: 'icmpv6.opt.prefix.length', name: 'Prefix Length', type: FT.UINT8, base: Base.DEC },
  opt_prefix_flag: { abbrev: 'icmpv6.opt.prefix.flag', name: 'Flag', type: FT.UINT8, base: Base.HEX },
  opt_prefix_flag_l: { abbrev: 'icmpv6.opt.prefix.flag.l', name: 'On-link flag(L)', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80, tfs: ['Set', 'Not set'] },
  opt_prefix_flag_a: { abbrev: 'icmpv6.opt.prefix.flag.a', name: 'Autonomous address-configuration flag(A)', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x40, tfs: ['Set', 'Not set'] },
  opt_prefix_flag_r: { abbrev: 'icmpv6.opt.prefix.flag.r', name: 'Router address flag(R)', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x20, tfs: ['Set', 'Not set'] },
  opt_prefix_flag_reserved: { abbrev: 'icmpv6.opt.prefix.flag.reserved', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0x1f },
  opt_prefix_valid_lifetime: { abbrev: 'icmpv6.opt.prefix.valid_lifetime', name: 'Valid Lifetime', type: FT.UINT32, base: Base.DEC },
  opt_prefix_preferred_lifetime: { abbrev: 'icmpv6.opt.prefix.preferred_lifetime', name: 'Preferred Lifetime', type: FT.UINT32, base: Base.DEC },
  opt_prefix: { abbrev: 'icmpv6.opt.prefix', name: 'Prefix', type: FT.IPv6 },
  opt_nonce: { abbrev: 'icmpv6.opt.nonce', name: 'Nonce', type: FT.BYTES },
  opt_mtu: { abbrev: 'icmpv6.opt.mtu', name: 'MTU', type: FT.UINT32, base: Base.DEC },
  mld_max_delay: { abbrev: 'icmpv6.mld.maximum_response_delay', name: 'Maximum Response Delay [ms]', type: FT.UINT16, base: Base.DEC },
  mld_max_code: { abbrev: 'icmpv6.mld.maximum_response_code', name: 'Maximum Response Code', type: FT.UINT16, base: Base.DEC },
  mld_multicast_address: { abbrev: 'icmpv6.mld.multicast_address', name: 'Multicast Address', type: FT.IPv6 },
  mld_flag: { abbrev: 'icmpv6.mld.flag', name: 'Flags', type: FT.UINT8, base: Base.HEX },
  mld_flag_s: { abbrev: 'icmpv6.mld.flag.s', name: 'Suppress Router-Side Processing', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x8 },
  mld_flag_qrv: { abbrev: 'icmpv6.mld.flag.qrv', name: "QRV (Querier's Robustness Variable)", type: FT.UINT8, base: Base.DEC, bitmask: 0x7 },
  mld_flag_reserved: { abbrev: 'icmpv6.mld.flag.reserved', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0xf0 },
  mld_qqi: { abbrev: 'icmpv6.mld.qqi', name: "QQIC (Querier's Query Interval Code)", type: FT.UINT8, base: Base.DEC },
  mld_nb_sources: { abbrev: 'icmpv6.mld.nb_sources', name: 'Number of Sources', type: FT.UINT16, base: Base.DEC },
  mld_source_address: { abbrev: 'icmpv6.mld.source_address', name: 'Source Address', type: FT.IPv6 },
  ni_qtype: { abbrev: 'icmpv6.ni.qtype', name: 'Qtype', type: FT.UINT16, base: Base.DEC, strings: NI_QTYPES },
  ni_flag: { abbrev: 'icmpv6.ni.flag', name: 'Flags', type: FT.UINT16, base: Base.HEX },
  ni_flag_g: { abbrev: 'icmpv6.ni.flag.g', name: 'Global-scope addresses', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x20, tfs: ['Set', 'Not set'] },
  ni_flag_s: { abbrev: 'icmpv6.ni.flag.s', name: 'Site-local addresses', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x10, tfs: ['Set', 'Not set'] },
  ni_flag_l: { abbrev: 'icmpv6.ni.flag.l', name: 'Link-local addresses', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x8, tfs: ['Set', 'Not set'] },
  ni_flag_c: { abbrev: 'icmpv6.ni.flag.c', name: 'Compression', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x4, tfs: ['Set', 'Not set'] },
  ni_flag_a: { abbrev: 'icmpv6.ni.flag.a', name: 'Unicast Addresses', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x2, tfs: ['All unicast address', 'Unicast addresses on the queried interface'] },
  ni_flag_t: { abbrev: 'icmpv6.ni.flag.t', name: 'Truncated', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x1, tfs: ['Set', 'Not set'] },
  ni_flag_rsv: { abbrev: 'icmpv6.ni.flag.rsv', name: 'Reserved', type: FT.UINT16, base: Base.HEX, bitmask: 0xffc0 },
  ni_subject_ipv6: { abbrev: 'icmpv6.ni.query.subject_ipv6', name: 'IPv6 subject address', type: FT.IPv6 },
  ni_subject_ipv4: { abbrev: 'icmpv6.ni.query.subject_ipv4', name: 'IPv4 subject address', type: FT.IPv4 },
  ni_node_ttl: { abbrev: 'icmpv6.ni.reply.node_ttl', name: 'TTL', type: FT.UINT32, base: Base.DEC },
  ni_node_address: { abbrev: 'icmpv6.ni.reply.node_address', name: 'IPv6 Node address', type: FT.IPv6 },
  ni_ipv4_address: { abbrev: 'icmpv6.ni.reply.ipv4_address', name: 'IPv4 Node address', type: FT.IPv4 },
  opt_route_info_flag: { abbrev: 'icmpv6.opt.route_info.flag', name: 'Flag', type: FT.UINT8, base: Base.HEX },
  opt_route_info_pref: { abbrev: 'icmpv6.opt.route_info.flag.route_preference', name: 'Route Preference', type: FT.UINT8, base: Base.DEC, bitmask: 0x18, strings: ROUTE_PREF },
  opt_route_info_reserved: { abbrev: 'icmpv6.opt.route_info.flag.reserved', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0xe7 },
  opt_route_lifetime: { abbrev: 'icmpv6.opt.route_lifetime', name: 'Route Lifetime', type: FT.UINT32, base: Base.DEC },
  opt_rdnss_lifetime: { abbrev: 'icmpv6.opt.rdnss.lifetime', name: 'Lifetime', type: FT.UINT32, base: Base.DEC },
  opt_rdnss: { abbrev: 'icmpv6.opt.rdnss', name: 'Recursive DNS Servers', type: FT.IPv6 },
  opt_dnssl_lifetime: { abbrev: 'icmpv6.opt.dnssl.lifetime', name: 'Lifetime', type: FT.UINT32, base: Base.DEC },
  opt_dnssl: { abbrev: 'icmpv6.opt.dnssl', name: 'Domain Names', type: FT.STRING },
  opt_padding: { abbrev: 'icmpv6.opt.padding', name: 'Padding', type: FT.NONE },
  mip6_identifier: { abbrev: 'icmpv6.mip6.identifier', name: 'Identifier', type: FT.UINT16, base: Base.DEC_HEX },
  mip6_flag: { abbrev: 'icmpv6.mip6.flag', name: 'Flags', type: FT.UINT16, base: Base.HEX },
  mip6_flag_m: { abbrev: 'icmpv6.mip6.flag.m', name: 'Managed address configuration', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x8000 },
  mip6_flag_o: { abbrev: 'icmpv6.mip6.flag.o', name: 'Other configuration', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x4000 },
  mip6_flag_rsv: { abbrev: 'icmpv6.mip6.flag.rsv', name: 'Reserved', type: FT.UINT16, base: Base.DEC, bitmask: 0x3fff },
  opt_advertisement_interval: { abbrev: 'icmpv6.opt.advertisement_interval', name: 'Advertisement Interval', type: FT.UINT32, base: Base.DEC },
  opt_home_agent_preference: { abbrev: 'icmpv6.opt.home_agent_preference', name: 'Home Agent Preference', type: FT.UINT16, base: Base.DEC },
  opt_home_agent_lifetime: { abbrev: 'icmpv6.opt.home_agent_lifetime', name: 'Home Agent Preference', type: FT.UINT16, base: Base.DEC },
  mldr_nb_mcast_records: { abbrev: 'icmpv6.mldr.nb_mcast_records', name: 'Number of Multicast Address Records', type: FT.UINT16, base: Base.DEC },
  mldr_mar: { abbrev: 'icmpv6.mldr.mar', name: 'Multicast Address Record', type: FT.NONE },
  mar_record_type: { abbrev: 'icmpv6.mldr.mar.record_type', name: 'Record Type', type: FT.UINT8, base: Base.DEC, strings: MAR_TYPES },
  mar_aux_data_len: { abbrev: 'icmpv6.mldr.mar.aux_data_len', name: 'Aux Data Len', type: FT.UINT8, base: Base.DEC },
  mar_nb_sources: { abbrev: 'icmpv6.mldr.mar.nb_sources', name: 'Number of Sources', type: FT.UINT16, base: Base.DEC },
  mar_multicast_address: { abbrev: 'icmpv6.mldr.mar.multicast_address', name: 'Multicast Address', type: FT.IPv6 },
  mar_source_address: { abbrev: 'icmpv6.mldr.mar.source_address', name: 'Source Address', type: FT.IPv6 },
  mar_auxiliary_data: { abbrev: 'icmpv6.mldr.mar.auxiliary_data', name: 'Auxiliary Data', type: FT.BYTES },
  ext_echo_seq: { abbrev: 'icmpv6.ext.echo.seq', name: 'Sequence number', type: FT.UINT8, base: Base.DEC_HEX },
  ext_echo_req_res: { abbrev: 'icmpv6.ext.echo.req.res', name: 'Reserved', type: FT.UINT8, base: Base.HEX, bitmask: 0xfe },
  ext_echo_req_local: { abbrev: 'icmpv6.ext.echo.req.local', name: 'Local bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_state: { abbrev: 'icmpv6.ext.echo.rsp.state', name: 'State', type: FT.UINT8, base: Base.DEC, bitmask: 0xe0, strings: { 0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed' } },
  ext_echo_rsp_res: { abbrev: 'icmpv6.ext.echo.rsp.res', name: 'Reserved', type: FT.UINT8, base: Base.HEX, bitmask: 0x18 },
  ext_echo_rsp_active: { abbrev: 'icmpv6.ext.echo.rsp.active', name: 'Active bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x04, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_ipv4: { abbrev: 'icmpv6.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x02, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_ipv6: { abbrev: 'icmpv6.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Set', 'Not set'] },
});

const hf_icmpv6_ei = defineFields(proto_icmpv6, {
  checksum_bad: { abbrev: 'icmpv6.checksum_bad.expert', name: 'Bad checksum', type: FT.NONE },
});
const ei_icmpv6_checksum: ExpertInfo = { field: hf_icmpv6_ei.checksum_bad, severity: ExpertSeverity.WARN, group: ExpertGroup.CHECKSUM };

/** Router Renumbering (RFC 2894), as packet-icmpv6.c registers its fields. */
const SET: readonly [string, string] = ['Set', 'Not set'];
const hf_rr = defineFields(proto_icmpv6, {
  sequence_number: { abbrev: 'icmpv6.rr.sequence_number', name: 'Sequence Number', type: FT.UINT32, base: Base.DEC },
  segment_number: { abbrev: 'icmpv6.rr.segment_number', name: 'Segment Number', type: FT.UINT8, base: Base.DEC },
  flag: { abbrev: 'icmpv6.rr.flag', name: 'Flags', type: FT.UINT8, base: Base.HEX },
  flag_t: { abbrev: 'icmpv6.rr.flag.t', name: 'Test Command', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80, tfs: SET },
  flag_r: { abbrev: 'icmpv6.rr.flag.r', name: 'Result requested', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x40, tfs: SET },
  flag_a: { abbrev: 'icmpv6.rr.flag.a', name: 'All Interfaces', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x20, tfs: SET },
  flag_s: { abbrev: 'icmpv6.rr.flag.s', name: 'Site-specific', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x10, tfs: SET },
  flag_p: { abbrev: 'icmpv6.rr.flag.p', name: 'Processed previously', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x08, tfs: SET },
  flag_rsv: { abbrev: 'icmpv6.rr.flag.rsv', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0x07 },
  maxdelay: { abbrev: 'icmpv6.rr.maxdelay', name: 'Max Delay', type: FT.UINT16, base: Base.DEC },
  mp: { abbrev: 'icmpv6.rr.pco.mp', name: 'Match-Prefix Part', type: FT.NONE },
  mp_opcode: { abbrev: 'icmpv6.rr.pco.mp.opcode', name: 'OpCode', type: FT.UINT8, base: Base.DEC, strings: { 1: 'Add', 2: 'Change', 3: 'Set Global' } },
  mp_oplength: { abbrev: 'icmpv6.rr.pco.mp.oplength', name: 'OpLength', type: FT.UINT8, base: Base.DEC },
  mp_ordinal: { abbrev: 'icmpv6.rr.pco.mp.ordinal', name: 'Ordinal', type: FT.UINT8, base: Base.HEX },
  mp_matchlen: { abbrev: 'icmpv6.rr.pco.mp.matchlen', name: 'MatchLen', type: FT.UINT8, base: Base.DEC },
  mp_minlen: { abbrev: 'icmpv6.rr.pco.mp.minlen', name: 'MinLen', type: FT.UINT8, base: Base.DEC },
  mp_maxlen: { abbrev: 'icmpv6.rr.pco.mp.maxlen', name: 'MaxLen', type: FT.UINT8, base: Base.DEC },
  mp_matchprefix: { abbrev: 'icmpv6.rr.pco.mp.matchprefix', name: 'MatchPrefix', type: FT.IPv6 },
  up: { abbrev: 'icmpv6.rr.pco.up', name: 'Use-Prefix Part', type: FT.NONE },
  up_uselen: { abbrev: 'icmpv6.rr.pco.up.uselen', name: 'UseLen', type: FT.UINT8, base: Base.DEC },
  up_keeplen: { abbrev: 'icmpv6.rr.pco.up.keeplen', name: 'KeepLen', type: FT.UINT8, base: Base.DEC },
  up_flagmask: { abbrev: 'icmpv6.rr.pco.up.flagmask', name: 'FlagMask', type: FT.UINT8, base: Base.HEX },
  up_flagmask_l: { abbrev: 'icmpv6.rr.pco.up.flagmask.l', name: 'On-link flag(L)', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80, tfs: SET },
  up_flagmask_a: { abbrev: 'icmpv6.rr.pco.up.flagmask.a', name: 'Autonomous address-configuration flag(A)', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x40, tfs: SET },
  up_flagmask_reserved: { abbrev: 'icmpv6.rr.pco.up.flagmask.reserved', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0x3f },
  up_raflags: { abbrev: 'icmpv6.rr.pco.up.raflags', name: 'RAFlags', type: FT.UINT8, base: Base.HEX },
  up_validlifetime: { abbrev: 'icmpv6.rr.pco.up.validlifetime', name: 'Valid Lifetime', type: FT.UINT32, base: Base.DEC },
  up_preferredlifetime: { abbrev: 'icmpv6.rr.pco.up.preferredlifetime', name: 'Preferred Lifetime', type: FT.UINT32, base: Base.DEC },
  up_flag: { abbrev: 'icmpv6.rr.pco.up.flag', name: 'Flags', type: FT.UINT32, base: Base.HEX },
  up_flag_v: { abbrev: 'icmpv6.rr.pco.up.flag.v', name: 'Decrement valid lifetime', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0x80000000, tfs: SET },
  up_flag_p: { abbrev: 'icmpv6.rr.pco.up.flag.p', name: 'Decrement preferred lifetime', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0x40000000, tfs: SET },
  up_flag_reserved: { abbrev: 'icmpv6.rr.pco.up.flag.reserved', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x3fffffff },
  up_useprefix: { abbrev: 'icmpv6.rr.pco.up.useprefix', name: 'UsePrefix', type: FT.IPv6 },
  rm: { abbrev: 'icmpv6.rr.rm', name: 'Result Message', type: FT.NONE },
  rm_flag: { abbrev: 'icmpv6.rr.rm.flag', name: 'Flags', type: FT.UINT16, base: Base.HEX },
  rm_flag_b: { abbrev: 'icmpv6.rr.rm.flag.b', name: 'Bounds', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0002, tfs: SET },
  rm_flag_f: { abbrev: 'icmpv6.rr.rm.flag.f', name: 'Forbidden', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0001, tfs: SET },
  rm_flag_reserved: { abbrev: 'icmpv6.rr.rm.flag.reserved', name: 'Reserved', type: FT.UINT16, base: Base.DEC, bitmask: 0xfffc },
  rm_ordinal: { abbrev: 'icmpv6.rr.rm.ordinal', name: 'Ordinal', type: FT.UINT8, base: Base.HEX },
  rm_matchedlen: { abbrev: 'icmpv6.rr.rm.matchedlen', name: 'MatchedLen', type: FT.UINT8, base: Base.DEC },
  rm_interfaceindex: { abbrev: 'icmpv6.rr.rm.interfaceindex', name: 'InterfaceIndex', type: FT.UINT32, base: Base.DEC },
  rm_matchedprefix: { abbrev: 'icmpv6.rr.rm.matchedprefix', name: 'MatchedPrefix', type: FT.IPv6 },
});

/**
 * Router Renumbering body (RFC 2894 3.1-3.3): after the 16-byte header, a command carries Prefix
 * Control Operations (a 24-byte Match-Prefix Part and OpLength/4 - ... 32-byte Use-Prefix Parts), a
 * result carries 24-byte Result Messages; a sequence number reset carries nothing.
 */
function dissectRouterRenumbering(ctx: Ctx, top: Item, tvb: Tvb, code: number): void {
  const { tree } = ctx;
  tree.add(top, hf_rr.sequence_number, tvb, 4, 4, tvb.u32(4));
  tree.add(top, hf_rr.segment_number, tvb, 8, 1, tvb.u8(8));
  const f = tvb.u8(9);
  const fi = tree.add(top, hf_rr.flag, tvb, 9, 1, f);
  tree.add(fi, hf_rr.flag_t, tvb, 9, 1, (f & 0x80) !== 0);
  tree.add(fi, hf_rr.flag_r, tvb, 9, 1, (f & 0x40) !== 0);
  tree.add(fi, hf_rr.flag_a, tvb, 9, 1, (f & 0x20) !== 0);
  tree.add(fi, hf_rr.flag_s, tvb, 9, 1, (f & 0x10) !== 0);
  tree.add(fi, hf_rr.flag_p, tvb, 9, 1, (f & 0x08) !== 0);
  tree.add(fi, hf_rr.flag_rsv, tvb, 9, 1, f & 0x07);
  tree.add(top, hf_rr.maxdelay, tvb, 10, 2, tvb.u16(10));
  tree.add(top, hf_icmpv6.reserved, tvb, 12, 4, tvb.bytesAt(12, 4));
  let off = 16;
  if (code === 0) {
    while (tvb.remaining(off) > 0) {
      const oplen = tvb.u8(off + 1);
      const mp = tree.add(top, hf_rr.mp, tvb, off, 24, null);
      tree.add(mp, hf_rr.mp_opcode, tvb, off, 1, tvb.u8(off));
      tree.add(mp, hf_rr.mp_oplength, tvb, off + 1, 1, oplen);
      tree.add(mp, hf_rr.mp_ordinal, tvb, off + 2, 1, tvb.u8(off + 2));
      tree.add(mp, hf_rr.mp_matchlen, tvb, off + 3, 1, tvb.u8(off + 3));
      tree.add(mp, hf_rr.mp_minlen, tvb, off + 4, 1, tvb.u8(off + 4));
      tree.add(mp, hf_rr.mp_maxlen, tvb, off + 5, 1, tvb.u8(off + 5));
      tree.add(mp, hf_icmpv6.reserved, tvb, off + 6, 2, tvb.bytesAt(off + 6, 2));
      tree.add(mp, hf_rr.mp_matchprefix, tvb, off + 8, 16, tvb.bytesAt(off + 8, 16));
      off += 24;
      // OpLength counts the whole operation in 8-octet units: 3 for the match part, 4 per use part.
      for (let n = Math.max(0, (oplen - 3) >> 2); n > 0; n--) {
        const up = tree.add(top, hf_rr.up, tvb, off, 32, null);
        tree.add(up, hf_rr.up_uselen, tvb, off, 1, tvb.u8(off));
        tree.add(up, hf_rr.up_keeplen, tvb, off + 1, 1, tvb.u8(off + 1));
        const m = tvb.u8(off + 2);
        const mi = tree.add(up, hf_rr.up_flagmask, tvb, off + 2, 1, m);
        tree.add(mi, hf_rr.up_flagmask_l, tvb, off + 2, 1, (m & 0x80) !== 0);
        tree.add(mi, hf_rr.up_flagmask_a, tvb, off + 2, 1, (m & 0x40) !== 0);
        tree.add(mi, hf_rr.up_flagmask_reserved, tvb, off + 2, 1, m & 0x3f);
        // packet-icmpv6.c shows RAFlags' bits with the FlagMask fields.
        const ra = tvb.u8(off + 3);
        const rai = tree.add(up, hf_rr.up_raflags, tvb, off + 3, 1, ra);
        tree.add(rai, hf_rr.up_flagmask_l, tvb, off + 3, 1, (ra & 0x80) !== 0);
        tree.add(rai, hf_rr.up_flagmask_a, tvb, off + 3, 1, (ra & 0x40) !== 0);
        tree.add(rai, hf_rr.up_flagmask_reserved, tvb, off + 3, 1, ra & 0x3f);
        tree.add(up, hf_rr.up_validlifetime, tvb, off + 4, 4, tvb.u32(off + 4));
        tree.add(up, hf_rr.up_preferredlifetime, tvb, off + 8, 4, tvb.u32(off + 8));
        const uf = tvb.u32(off + 12);
        const ufi = tree.add(up, hf_rr.up_flag, tvb, off + 12, 4, uf);
        tree.add(ufi, hf_rr.up_flag_v, tvb, off + 12, 4, (uf & 0x80000000) !== 0);
        tree.add(ufi, hf_rr.up_flag_p, tvb, off + 12, 4, (uf & 0x40000000) !== 0);
        tree.add(ufi, hf_rr.up_flag_reserved, tvb, off + 12, 4, uf & 0x3fffffff);
        tree.add(up, hf_rr.up_useprefix, tvb, off + 16, 16, tvb.bytesAt(off + 16, 16));
        off += 32;
      }
    }
  } else if (code === 1) {
    while (tvb.remaining(off) > 0) {
      const rm = tree.add(top, hf_rr.rm, tvb, off, 24, null);
      const rf = tvb.u16(off);
      const rfi = tree.add(rm, hf_rr.rm_flag, tvb, off, 2, rf);
      tree.add(rfi, hf_rr.rm_flag_b, tvb, off, 2, (rf & 0x0002) !== 0);
      tree.add(rfi, hf_rr.rm_flag_f, tvb, off, 2, (rf & 0x0001) !== 0);
      tree.add(rfi, hf_rr.rm_flag_reserved, tvb, off, 2, rf & 0xfffc);
      tree.add(rm, hf_rr.rm_ordinal, tvb, off + 2, 1, tvb.u8(off + 2));
      tree.add(rm, hf_rr.rm_matchedlen, tvb, off + 3, 1, tvb.u8(off + 3));
      tree.add(rm, hf_rr.rm_interfaceindex, tvb, off + 4, 4, tvb.u32(off + 4));
      tree.add(rm, hf_rr.rm_matchedprefix, tvb, off + 8, 16, tvb.bytesAt(off + 8, 16));
      off += 24;
    }
  }
}

/**
 * MLD (RFC 2710 section 3) and the MLDv2 query (RFC 3810 section 5.1, a query of 28 bytes or more):
 * the v2 query's first word is a Maximum Response Code, then flags, QQIC and the sources.
 */
function dissectMld(ctx: Ctx, top: Item, tvb: Tvb, type: number): void {
  const { tree } = ctx;
  const v2 = type === 130 && tvb.length >= 28;
  tree.add(top, v2 ? hf_icmpv6.mld_max_code : hf_icmpv6.mld_max_delay, tvb, 4, 2, tvb.u16(4));
  tree.add(top, hf_icmpv6.reserved, tvb, 6, 2, tvb.bytesAt(6, 2));
  tree.add(top, hf_icmpv6.mld_multicast_address, tvb, 8, 16, tvb.bytesAt(8, 16));
  if (!v2) return;
  const f = tvb.u8(24);
  const fi = tree.add(top, hf_icmpv6.mld_flag, tvb, 24, 1, f);
  tree.add(fi, hf_icmpv6.mld_flag_s, tvb, 24, 1, (f & 0x08) !== 0);
  tree.add(fi, hf_icmpv6.mld_flag_qrv, tvb, 24, 1, f & 0x07);
  tree.add(fi, hf_icmpv6.mld_flag_reserved, tvb, 24, 1, f >> 4);
  tree.add(top, hf_icmpv6.mld_qqi, tvb, 25, 1, tvb.u8(25));
  const n = tvb.u16(26);
  tree.add(top, hf_icmpv6.mld_nb_sources, tvb, 26, 2, n);
  for (let i = 0, off = 28; i < n; i++, off += 16) tree.add(top, hf_icmpv6.mld_source_address, tvb, off, 16, tvb.bytesAt(off, 16));
}

/**
 * Node Information Query / Reply (RFC 4620): Qtype, flags (the address flags for the two address
 * Qtypes), nonce, then a query's subject by code, or a reply's TTL and address pairs.
 */
function dissectNodeInformation(ctx: Ctx, top: Item, tvb: Tvb, type: number, code: number): void {
  const { tree } = ctx;
  const qtype = tvb.u16(4), flags = tvb.u16(6);
  tree.add(top, hf_icmpv6.ni_qtype, tvb, 4, 2, qtype);
  const fi = tree.add(top, hf_icmpv6.ni_flag, tvb, 6, 2, flags);
  if (qtype === 3 || qtype === 4) {
    if (tree.full) {
      const names = [[0x20, 'Global-scope addresses'], [0x10, 'Site-local addresses'], [0x08, 'Link-local addresses'], [0x04, 'Compression'], [0x02, 'Unicast Addresses'], [0x01, 'Truncated']] as const;
      for (const [bit, n] of names) if (flags & bit) tree.appendText(fi, `, ${n}`);
    }
    tree.add(fi, hf_icmpv6.ni_flag_g, tvb, 6, 2, (flags & 0x20) !== 0);
    tree.add(fi, hf_icmpv6.ni_flag_s, tvb, 6, 2, (flags & 0x10) !== 0);
    tree.add(fi, hf_icmpv6.ni_flag_l, tvb, 6, 2, (flags & 0x08) !== 0);
    tree.add(fi, hf_icmpv6.ni_flag_c, tvb, 6, 2, (flags & 0x04) !== 0);
    tree.add(fi, hf_icmpv6.ni_flag_a, tvb, 6, 2, (flags & 0x02) !== 0);
    tree.add(fi, hf_icmpv6.ni_flag_t, tvb, 6, 2, (flags & 0x01) !== 0);
    tree.add(fi, hf_icmpv6.ni_flag_rsv, tvb, 6, 2, (flags & 0xffc0) >> 6);
  }
  // The 64-bit nonce (icmpv6.ni.nonce, FT_UINT64 in hex) waits for the registry to print 64-bit hex.
  tvb.ensure(8, 8);
  const end = tvb.length;
  if (type === 139) {
    if (code === 0 && end >= 32) tree.add(top, hf_icmpv6.ni_subject_ipv6, tvb, 16, 16, tvb.bytesAt(16, 16));
    else if (code === 2 && end >= 20) tree.add(top, hf_icmpv6.ni_subject_ipv4, tvb, 16, 4, tvb.u32(16));
    return;
  }
  if (code !== 0) return;
  const step = qtype === 3 ? 20 : qtype === 4 ? 8 : 0;
  for (let off = 16; step > 0 && off + step <= end; off += step) {
    tree.add(top, hf_icmpv6.ni_node_ttl, tvb, off, 4, tvb.u32(off));
    if (qtype === 3) tree.add(top, hf_icmpv6.ni_node_address, tvb, off + 4, 16, tvb.bytesAt(off + 4, 16));
    else tree.add(top, hf_icmpv6.ni_ipv4_address, tvb, off + 4, 4, tvb.u32(off + 4));
  }
}

/** ND options (RFC 4861 4.6); returns the source and target link-layer addresses for the Info column. */
function dissectNdOptions(ctx: Ctx, top: Item, tvb: Tvb, start: number): { src?: string; target?: string } {
  const { tree } = ctx;
  const seen: { src?: string; target?: string } = {};
  for (let off = start; off + 2 <= tvb.length;) {
    const type = tvb.u8(off), lenUnits = tvb.u8(off + 1), len = lenUnits * 8;
    if (len === 0) break; // RFC 4861: a zero length is invalid and ends the options.
    const it = tree.add(top, hf_icmpv6.opt, tvb, off, len, null);
    const name = OPT_TYPES[type] ?? 'Unknown';
    tree.add(it, hf_icmpv6.opt_type, tvb, off, 1, type);
    const li = tree.add(it, hf_icmpv6.opt_length, tvb, off + 1, 1, lenUnits);
    if (tree.full) tree.appendText(li, ` (${len} bytes)`);
    let summary = '';
    if ((type === 1 || type === 2) && len === 8) {
      const mac = tvb.bytesAt(off + 2, 6);
      tree.add(it, hf_icmpv6.opt_linkaddr, tvb, off + 2, 6, mac);
      tree.add(it, type === 1 ? hf_icmpv6.opt_src_linkaddr : hf_icmpv6.opt_target_linkaddr, tvb, off + 2, 6, mac, ItemFlags.HIDDEN);
      summary = ` : ${formatEther(mac)}`;
      if (type === 1) seen.src = formatEther(mac);
      else seen.target = formatEther(mac);
    } else if (type === 3 && len === 32) {
      tree.add(it, hf_icmpv6.opt_prefix_length, tvb, off + 2, 1, tvb.u8(off + 2));
      const f = tvb.u8(off + 3);
      const fi = tree.add(it, hf_icmpv6.opt_prefix_flag, tvb, off + 3, 1, f);
      tree.add(fi, hf_icmpv6.opt_prefix_flag_l, tvb, off + 3, 1, (f & 0x80) !== 0);
      tree.add(fi, hf_icmpv6.opt_prefix_flag_a, tvb, off + 3, 1, (f & 0x40) !== 0);
      tree.add(fi, hf_icmpv6.opt_prefix_flag_r, tvb, off + 3, 1, (f & 0x20) !== 0);
      tree.add(fi, hf_icmpv6.opt_prefix_flag_reserved, tvb, off + 3, 1, f & 0x1f);
      if (tree.full) {
        tree.appendText(fi, `${f & 0x80 ? ', On-link flag(L)' : ''}${f & 0x40 ? ', Autonomous address-configuration flag(A)' : ''}${f & 0x20 ? ', Router address flag(R)' : ''}`);
      }
      tree.add(it, hf_icmpv6.opt_prefix_valid_lifetime, tvb, off + 4, 4, tvb.u32(off + 4));
      tree.add(it, hf_icmpv6.opt_prefix_preferred_lifetime, tvb, off + 8, 4, tvb.u32(off + 8));
      tree.add(it, hf_icmpv6.opt_reserved, tvb, off + 12, 4, null);
      tree.add(it, hf_icmpv6.opt_prefix, tvb, off + 16, 16, tvb.bytesAt(off + 16, 16));
      summary = ` : ${formatIPv6(tvb.bytesAt(off + 16, 16))}/${tvb.u8(off + 2)}`;
    } else if (type === 5 && len === 8) {
      tree.add(it, hf_icmpv6.opt_reserved, tvb, off + 2, 2, null);
      tree.add(it, hf_icmpv6.opt_mtu, tvb, off + 4, 4, tvb.u32(off + 4));
      summary = ` : ${tvb.u32(off + 4)}`;
    } else if (type === 24 && len >= 8 && len <= 24) {
      // RFC 4191 2.3 Route Information: the prefix takes 0, 8 or 16 bytes, zero-filled to an address.
      const plen = tvb.u8(off + 2), f = tvb.u8(off + 3);
      tree.add(it, hf_icmpv6.opt_prefix_length, tvb, off + 2, 1, plen);
      const pref = ROUTE_PREF[(f & 0x18) >> 3];
      const fi = tree.add(it, hf_icmpv6.opt_route_info_flag, tvb, off + 3, 1, f);
      if (tree.full) tree.appendText(fi, `, Route Preference: ${pref}`);
      tree.add(fi, hf_icmpv6.opt_route_info_pref, tvb, off + 3, 1, (f & 0x18) >> 3);
      tree.add(fi, hf_icmpv6.opt_route_info_reserved, tvb, off + 3, 1, f & 0xe7);
      tree.add(it, hf_icmpv6.opt_route_lifetime, tvb, off + 4, 4, tvb.u32(off + 4));
      const prefix = new Uint8Array(16);
      if (len > 8) prefix.set(tvb.bytesAt(off + 8, len - 8));
      if (len > 8) tree.add(it, hf_icmpv6.opt_prefix, tvb, off + 8, len - 8, prefix);
      summary = ` : ${pref} ${formatIPv6(prefix)}/${plen}`;
    } else if (type === 25 && len >= 24) {
      // RFC 8106 5.1 RDNSS: reserved, lifetime, then the servers' addresses.
      tree.add(it, hf_icmpv6.opt_reserved, tvb, off + 2, 2, null);
      tree.add(it, hf_icmpv6.opt_rdnss_lifetime, tvb, off + 4, 4, tvb.u32(off + 4));
      const names: string[] = [];
      for (let a = off + 8; a + 16 <= off + len; a += 16) {
        tree.add(it, hf_icmpv6.opt_rdnss, tvb, a, 16, tvb.bytesAt(a, 16));
        names.push(formatIPv6(tvb.bytesAt(a, 16)));
      }
      summary = ` ${names.join(' ')}`;
    } else if (type === 31 && len >= 8) {
      // RFC 8106 5.2 DNSSL: reserved, lifetime, then domain names in DNS form up to zero padding.
      tree.add(it, hf_icmpv6.opt_reserved, tvb, off + 2, 2, null);
      tree.add(it, hf_icmpv6.opt_dnssl_lifetime, tvb, off + 4, 4, tvb.u32(off + 4));
      for (let o = off + 8; o < off + len;) {
        if (tvb.u8(o) === 0) {
          tree.add(it, hf_icmpv6.opt_padding, tvb, o, off + len - o, null);
          break;
        }
        const n = readName(tvb, o);
        tree.add(it, hf_icmpv6.opt_dnssl, tvb, o, n.len, n.name);
        summary += ` ${n.name}`;
        o += n.len;
      }
    } else if (type === 7 && len === 8) {
      // RFC 6275 7.3 Advertisement Interval.
      tree.add(it, hf_icmpv6.opt_reserved, tvb, off + 2, 2, null);
      const v = tvb.u32(off + 4);
      tree.add(it, hf_icmpv6.opt_advertisement_interval, tvb, off + 4, 4, v);
      summary = ` : ${v}`;
    } else if (type === 8 && len === 8) {
      // RFC 6275 7.4 Home Agent Information (packet-icmpv6.c labels its lifetime "Home Agent Preference" too).
      tree.add(it, hf_icmpv6.opt_reserved, tvb, off + 2, 2, null);
      tree.add(it, hf_icmpv6.opt_home_agent_preference, tvb, off + 4, 2, tvb.u16(off + 4));
      tree.add(it, hf_icmpv6.opt_home_agent_lifetime, tvb, off + 6, 2, tvb.u16(off + 6));
    } else if (type === 14) {
      tree.add(it, hf_icmpv6.opt_nonce, tvb, off + 2, len - 2, tvb.bytesAt(off + 2, len - 2));
    }
    if (tree.full) tree.setText(it, `ICMPv6 Option (${name}${summary})`);
    off += len;
  }
  return seen;
}

export function dissectIcmpv6(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  const inError = inErrorPacket.depth > 0;
  pinfo.enter('icmpv6', 'ICMPv6');
  // packet-icmpv6.c sets the column and adds its item before reading a byte: an empty message (an
  // IPv6 payload length of 0) still shows ICMPv6, then Malformed.
  if (pinfo.columns && !inError) {
    pinfo.protocol = 'ICMPv6';
    pinfo.clearInfo();
  }
  const top = tree.add(parent, proto_icmpv6, tvb, 0, -1, null);
  const type = tvb.u8(0), code = tvb.u8(1), sum = tvb.u16(2);
  const typeStr = TYPES[type] ?? `Unknown (${type})`;
  const codeStr = CODES[type]?.[code];
  if (pinfo.columns && !inError) pinfo.setInfo(typeStr + (codeStr !== undefined ? ` (${codeStr})` : ''));
  tree.add(top, hf_icmpv6.type, tvb, 0, 1, type);
  const ci = tree.add(top, hf_icmpv6.code, tvb, 1, 1, code);
  if (tree.full && codeStr !== undefined) tree.appendText(ci, ` (${codeStr})`);
  const cki = tree.add(top, hf_icmpv6.checksum, tvb, 2, 2, sum);
  if (!pinfo.fragmented && tvb.length >= tvb.reportedLength && pinfo.netSrc.bytes.length === 16) {
    // RFC 8200 8.1 pseudo-header: source, destination, upper-layer length, next header 58. With a
    // routing header the destination is the final one (pinfo.dst), as IPv6 leaves it.
    let pseudo = 0;
    const s = pinfo.netSrc.bytes, d = pinfo.dst.bytes.length === 16 ? pinfo.dst.bytes : pinfo.netDst.bytes;
    for (let i = 0; i < 16; i += 2) pseudo += ((s[i] << 8) | s[i + 1]) + ((d[i] << 8) | d[i + 1]);
    pseudo += (tvb.length >>> 16) + (tvb.length & 0xffff) + 58;
    verifyChecksum(ctx, top, cki, tvb, tvb.u16(2), internetChecksum(tvb, 0, tvb.length, pseudo), hf_icmpv6.checksum_status, ei_icmpv6_checksum);
  } else {
    // packet-icmpv6.c, as packet-icmp.c: any unverified case is a "fragmented datagram" unless quoted.
    if (tree.full) tree.appendText(cki, inError ? ' [unverified] [in ICMP error packet]' : ' [unverified] [fragmented datagram]');
    addChecksumStatus(ctx, top, hf_icmpv6.checksum_status, tvb, 2, 0, CHECKSUM_UNVERIFIED);
  }

  if (type >= 1 && type <= 4) {
    if (type === 2) tree.add(top, hf_icmpv6.mtu, tvb, 4, 4, tvb.u32(4));
    else if (type === 4) tree.add(top, hf_icmpv6.pointer, tvb, 4, 4, tvb.u32(4));
    else tree.add(top, hf_icmpv6.reserved, tvb, 4, 4, tvb.bytesAt(4, 4));
    dissectQuoted(dissectIpv6, tvb.sub(8), ctx, top);
    return tvb.length;
  }
  if ((type === 130 || type === 131 || type === 132) && tvb.length >= 24) {
    dissectMld(ctx, top, tvb, type);
    return tvb.length;
  }
  if (type === 138) {
    dissectRouterRenumbering(ctx, top, tvb, code);
    return tvb.length;
  }
  if (type === 139 || type === 140) {
    dissectNodeInformation(ctx, top, tvb, type, code);
    return tvb.length;
  }
  if (type === 160 || type === 161) {
    // RFC 8335 extended echo: identifier, 8-bit sequence number, flag byte; a request's ICMP
    // multi-part extension (RFC 4884) goes to packet-icmp.c's "icmp_extension" dissector.
    tree.add(top, hf_icmpv6.echo_identifier, tvb, 4, 2, tvb.u16(4));
    addExtEcho(ctx, top, tvb, type === 160, hf_icmpv6);
    // packet-icmpv6.c 4.0 shows nothing after a reply's flags (the bytes stay undissected, no data).
    if (type === 160 && tvb.reportedLength > 8) dissectIcmpExtension(tvb.sub(8), ctx, top, true);
    return tvb.length;
  }
  if (type === 128 || type === 129) {
    const id = tvb.u16(4), seq = tvb.u16(6);
    tree.add(top, hf_icmpv6.echo_identifier, tvb, 4, 2, id);
    tree.add(top, hf_icmpv6.echo_sequence_number, tvb, 6, 2, seq);
    if (pinfo.columns && !inError) {
      // The hop limit of the IPv6 header that carried this message (Wireshark's "hop limit=64").
      const hlim = lastIpTtl.value;
      pinfo.appendInfo(` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}, hop limit=${hlim}`);
    }
    if (!inError) echoMatch(ctx, 'icmpv6', ICMPV6_ECHO, top, tvb, type === 128, id, seq);
    dissectData(tvb.sub(8), ctx, top);
    return tvb.length;
  }
  if (type === 133 || type === 135) {
    tree.add(top, hf_icmpv6.reserved, tvb, 4, 4, tvb.bytesAt(4, 4));
    let target = '';
    if (type === 135) {
      tree.add(top, hf_icmpv6.ns_target_address, tvb, 8, 16, tvb.bytesAt(8, 16));
      target = formatIPv6(tvb.bytesAt(8, 16));
    }
    const o = dissectNdOptions(ctx, top, tvb, type === 135 ? 24 : 8);
    if (pinfo.columns && !inError) {
      if (type === 135) pinfo.appendInfo(` for ${target}`);
      if (o.src !== undefined) pinfo.appendInfo(` from ${o.src}`);
    }
    return tvb.length;
  }
  if (type === 134) {
    tree.add(top, hf_icmpv6.ra_cur_hop_limit, tvb, 4, 1, tvb.u8(4));
    const f = tvb.u8(5);
    const fi = tree.add(top, hf_icmpv6.ra_flag, tvb, 5, 1, f);
    tree.add(fi, hf_icmpv6.ra_flag_m, tvb, 5, 1, (f & 0x80) !== 0);
    tree.add(fi, hf_icmpv6.ra_flag_o, tvb, 5, 1, (f & 0x40) !== 0);
    tree.add(fi, hf_icmpv6.ra_flag_h, tvb, 5, 1, (f & 0x20) !== 0);
    tree.add(fi, hf_icmpv6.ra_flag_prf, tvb, 5, 1, (f >> 3) & 3);
    tree.add(fi, hf_icmpv6.ra_flag_p, tvb, 5, 1, (f & 0x04) !== 0);
    tree.add(fi, hf_icmpv6.ra_flag_rsv, tvb, 5, 1, f & 3);
    // proto_tree_add_bitmask: set flags by name, the preference always (the reserved bits have no names).
    if (tree.full) {
      const prf = (hf_icmpv6.ra_flag_prf.strings as Readonly<Record<number, string>>)[(f >> 3) & 3];
      tree.appendText(fi, `${f & 0x80 ? ', Managed address configuration' : ''}${f & 0x40 ? ', Other configuration' : ''}`
        + `${f & 0x20 ? ', Home Agent' : ''}, Prf (Default Router Preference): ${prf}${f & 0x04 ? ', Proxy' : ''}`);
    }
    tree.add(top, hf_icmpv6.ra_router_lifetime, tvb, 6, 2, tvb.u16(6));
    tree.add(top, hf_icmpv6.ra_reachable_time, tvb, 8, 4, tvb.u32(8));
    tree.add(top, hf_icmpv6.ra_retrans_timer, tvb, 12, 4, tvb.u32(12));
    const o = dissectNdOptions(ctx, top, tvb, 16);
    if (pinfo.columns && !inError && o.src !== undefined) pinfo.appendInfo(` from ${o.src}`);
    return tvb.length;
  }
  if (type === 136) {
    const f = tvb.u32(4);
    const fi = tree.add(top, hf_icmpv6.na_flag, tvb, 4, 4, f);
    const flagNames = [(f & 0x80000000) ? 'rtr' : '', (f & 0x40000000) ? 'sol' : '', (f & 0x20000000) ? 'ovr' : ''].filter((x) => x);
    if (tree.full) {
      const long = [(f & 0x80000000) ? 'Router' : '', (f & 0x40000000) ? 'Solicited' : '', (f & 0x20000000) ? 'Override' : ''].filter((x) => x);
      if (long.length > 0) tree.appendText(fi, `, ${long.join(', ')}`);
    }
    tree.add(fi, hf_icmpv6.na_flag_r, tvb, 4, 4, (f & 0x80000000) !== 0);
    tree.add(fi, hf_icmpv6.na_flag_s, tvb, 4, 4, (f & 0x40000000) !== 0);
    tree.add(fi, hf_icmpv6.na_flag_o, tvb, 4, 4, (f & 0x20000000) !== 0);
    tree.add(fi, hf_icmpv6.na_flag_rsv, tvb, 4, 4, f & 0x1fffffff);
    const target = formatIPv6(tvb.bytesAt(8, 16));
    tree.add(top, hf_icmpv6.na_target_address, tvb, 8, 16, tvb.bytesAt(8, 16));
    const o = dissectNdOptions(ctx, top, tvb, 24);
    if (pinfo.columns && !inError) {
      pinfo.appendInfo(` ${target}`);
      if (flagNames.length > 0) pinfo.appendInfo(` (${flagNames.join(', ')})`);
      if (o.target !== undefined) pinfo.appendInfo(` is at ${o.target}`);
    }
    return tvb.length;
  }
  if (type === 143) {
    tree.add(top, hf_icmpv6.reserved, tvb, 4, 2, tvb.bytesAt(4, 2));
    const n = tvb.u16(6);
    tree.add(top, hf_icmpv6.mldr_nb_mcast_records, tvb, 6, 2, n);
    let off = 8;
    for (let i = 0; i < n; i++) {
      const rtype = tvb.u8(off), aux = tvb.u8(off + 1), ns = tvb.u16(off + 2);
      const len = 20 + ns * 16 + aux * 4;
      const it = tree.add(top, hf_icmpv6.mldr_mar, tvb, off, len, null);
      if (tree.full) tree.setText(it, `Multicast Address Record ${MAR_TYPES[rtype] ?? 'Unknown'}: ${formatIPv6(tvb.bytesAt(off + 4, 16))}`);
      tree.add(it, hf_icmpv6.mar_record_type, tvb, off, 1, rtype);
      tree.add(it, hf_icmpv6.mar_aux_data_len, tvb, off + 1, 1, aux);
      tree.add(it, hf_icmpv6.mar_nb_sources, tvb, off + 2, 2, ns);
      tree.add(it, hf_icmpv6.mar_multicast_address, tvb, off + 4, 16, tvb.bytesAt(off + 4, 16));
      for (let k = 0; k < ns; k++) tree.add(it, hf_icmpv6.mar_source_address, tvb, off + 20 + 16 * k, 16, tvb.bytesAt(off + 20 + 16 * k, 16));
      if (aux > 0) tree.add(it, hf_icmpv6.mar_auxiliary_data, tvb, off + 20 + 16 * ns, aux * 4, tvb.bytesAt(off + 20 + 16 * ns, aux * 4));
      off += len;
    }
    return tvb.length;
  }
  if (type === 146 || type === 147) {
    // RFC 6275 6.7/6.8 Mobile Prefix Solicitation / Advertisement: identifier, then reserved bytes or
    // the M and O flags, then (advertisements) ND options.
    tree.add(top, hf_icmpv6.mip6_identifier, tvb, 4, 2, tvb.u16(4));
    if (type === 146) {
      tree.add(top, hf_icmpv6.reserved, tvb, 6, 2, tvb.bytesAt(6, 2));
      return tvb.length;
    }
    const f = tvb.u16(6);
    const fi = tree.add(top, hf_icmpv6.mip6_flag, tvb, 6, 2, f);
    tree.add(fi, hf_icmpv6.mip6_flag_m, tvb, 6, 2, (f & 0x8000) !== 0);
    tree.add(fi, hf_icmpv6.mip6_flag_o, tvb, 6, 2, (f & 0x4000) !== 0);
    tree.add(fi, hf_icmpv6.mip6_flag_rsv, tvb, 6, 2, f & 0x3fff);
    dissectNdOptions(ctx, top, tvb, 8);
    return tvb.length;
  }
  if (tvb.remaining(4) > 0) dissectData(tvb.sub(4), ctx, top);
  return tvb.length;
}

const ICMPV6_ECHO: EchoFields = { respIn: hf_icmpv6.resp_in, respTo: hf_icmpv6.resp_to, respTime: hf_icmpv6.resptime };

tables.ipProto.add(58, dissectIcmpv6);
