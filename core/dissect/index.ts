// The engine's public face. Importing this module registers every dissector: a new protocol is one
// new file in proto/ plus one import line here.
import './proto/eth.js';
import './proto/vlan.js';
import './proto/sll.js';
import './proto/null.js';
import './proto/raw.js';
import './proto/arp.js';
import './proto/ip.js';
import './proto/udp.js';
import './proto/icmp.js';
import './proto/ipv6.js';
import './proto/esp.js';
import './proto/icmpv6.js';
import './proto/dns.js';
import './proto/tcp.js';
import './proto/http.js';
import './proto/vxlan.js';
import './proto/geneve.js';
import './proto/gre.js';
import './proto/erspan.js';
import './proto/ah.js';

export { Engine, type DissectOptions } from './engine.js';
export { ProtoTree, NO_ITEM, ROOT, ItemFlags, type Item, type TreeMode } from './tree.js';
export { PacketInfo, CaptureContext, AddrType, AddressAt, addressAt, PortType, type Address } from './packet.js';
export { Tvb, type DataSource } from './tvb.js';
export { tables, type Ctx, type Dissector } from './table.js';
export { frameMeta } from './frame.js';
export { hf_text, addText } from './text.js';
