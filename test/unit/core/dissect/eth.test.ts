import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../core/dissect/index.js';
import { fieldByName } from '../../../../core/fields/registry.js';
import { LinkType, type PacketRecord } from '../../../../core/capfile/record.js';

// Frame 59 of the lab write-up (shared/seed): a SYN from 192.168.137.181:51012 to 10.130.249.231:85,
// bytes as its hex pane printed them.
const SYN = Uint8Array.from(
  ('c2234 3d7664fd0df9ada0374080045 00003c06a4000000 06e550c0a889b50a82' +
   'f9e7c7440055 3edfce8900000000a002 faf0205d00000204 05b40402080abccf 4c180000000001030307').replace(/\s/g, '').match(/../g)!.map((h) => parseInt(h, 16)),
);

function record(data: Uint8Array): PacketRecord {
  return { tsSec: 1_600_000_000, tsNsec: 930_261_435, capLen: data.length, origLen: data.length, interfaceId: 0, linkType: LinkType.ETHERNET, data, fileOffset: 0 };
}

describe('eth', () => {
  it('decodes addresses and type with byte ranges', () => {
    const e = new Engine();
    e.dissect(record(SYN), 1, { tree: 'full', columns: true });
    const t = e.tree;
    const dst = t.find(fieldByName('eth.dst')!);
    expect([t.start[dst], t.length[dst]]).toEqual([0, 6]);
    expect(Array.from(t.value[dst] as Uint8Array)).toEqual([0xc2, 0x23, 0x43, 0xd7, 0x66, 0x4f]);
    const type = t.find(fieldByName('eth.type')!);
    expect([t.start[type], t.length[type], t.value[type]]).toEqual([12, 2, 0x0800]);
    expect(t.valuesOf(fieldByName('eth.addr')!).length).toBe(2);
  });
});
