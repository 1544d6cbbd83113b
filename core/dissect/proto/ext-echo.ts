// RFC 8335 extended echo (PROBE), shared by ICMP (types 42/43) and ICMPv6 (160/161): after the
// identifier, an 8-bit sequence number and a flags byte whose bits differ for requests and replies.

import type { Field } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** The fields each protocol registers under its own prefix (icmp.ext_echo.*, icmpv6.ext_echo.*). */
export interface ExtEchoFields {
  ext_echo_seq: Field;
  ext_echo_req_res: Field;
  ext_echo_req_local: Field;
  ext_echo_rsp_state: Field;
  ext_echo_rsp_res: Field;
  ext_echo_rsp_active: Field;
  ext_echo_rsp_ipv4: Field;
  ext_echo_rsp_ipv6: Field;
}

/** Adds the sequence number (byte 6) and the request's or reply's flag bits (byte 7). */
export function addExtEcho(ctx: Ctx, top: Item, tvb: Tvb, request: boolean, hf: ExtEchoFields): void {
  const { tree } = ctx;
  tree.add(top, hf.ext_echo_seq, tvb, 6, 1, tvb.u8(6));
  const f = tvb.u8(7);
  if (request) {
    tree.add(top, hf.ext_echo_req_res, tvb, 7, 1, f & 0xfe);
    tree.add(top, hf.ext_echo_req_local, tvb, 7, 1, (f & 0x01) !== 0);
  } else {
    tree.add(top, hf.ext_echo_rsp_state, tvb, 7, 1, f >> 5);
    tree.add(top, hf.ext_echo_rsp_res, tvb, 7, 1, f & 0x18);
    tree.add(top, hf.ext_echo_rsp_active, tvb, 7, 1, (f & 0x04) !== 0);
    tree.add(top, hf.ext_echo_rsp_ipv4, tvb, 7, 1, (f & 0x02) !== 0);
    tree.add(top, hf.ext_echo_rsp_ipv6, tvb, 7, 1, (f & 0x01) !== 0);
  }
}
