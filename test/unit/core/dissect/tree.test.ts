// ProtoTree's tree order (what -T fields prints) against its item order (what filters read), in both
// tree modes that keep items, with unrecorded items' handles, reassembly's truncate() and deep trees.
import { describe, expect, it } from 'vitest';
import '../../../../core/dissect/index.js';
import { NO_ITEM, ProtoTree, ROOT, Tvb, type TreeMode } from '../../../../core/dissect/index.js';
import { fieldByName, fieldCount, type Field } from '../../../../core/fields/registry.js';

const f = (name: string): Field => fieldByName(name)!;
const tvb = Tvb.of(new Uint8Array(64));
const wanted = (names: string[]): Uint8Array => {
  const a = new Uint8Array(fieldCount());
  for (const n of names) a[f(n).id] = 1;
  return a;
};
/** Values of `name` in tree order, and in item order. */
const both = (t: ProtoTree, name: string) => ({
  tree: t.valuesOf(f(name)),
  items: Array.from({ length: t.count }, (_, i) => i).filter((i) => t.field[i] === f(name).id).map((i) => t.value[i]),
});

/** An Ethernet-like layer whose subtree gets a message after the next layer ran (the trailer case). */
function lateSubtreeAdd(t: ProtoTree): void {
  const eth = t.add(ROOT, f('eth'), tvb, 0, 14, null);
  const trailer = t.add(eth, f('eth.trailer'), tvb, 0, 4, new Uint8Array(4));
  const arp = t.add(ROOT, f('arp'), tvb, 14, 28, null);
  t.add(arp, f('_ws.expert.message'), tvb, 0, 0, 'arp');
  t.add(trailer, f('_ws.expert.message'), tvb, 0, 0, 'eth');
  t.add(ROOT, f('_ws.expert.message'), tvb, 0, 0, 'top');
}

describe('ProtoTree tree order', () => {
  for (const mode of ['full', 'fields'] as TreeMode[]) {
    it(`gives depth-first order when a subtree grows after a later layer (${mode})`, () => {
      const t = new ProtoTree();
      t.reset(mode, wanted(['_ws.expert.message']));
      lateSubtreeAdd(t);
      expect(both(t, '_ws.expert.message')).toEqual({ tree: ['eth', 'arp', 'top'], items: ['arp', 'eth', 'top'] });
    });
  }

  it('returns null while items were added in tree order, the common case', () => {
    const t = new ProtoTree();
    t.reset('fields', wanted(['eth.src']));
    const eth = t.add(ROOT, f('eth'), tvb, 0, 14, null);
    t.add(eth, f('eth.dst'), tvb, 0, 6, new Uint8Array(6));
    const src = t.add(eth, f('eth.src'), tvb, 6, 6, new Uint8Array(6));
    t.add(src, f('eth.addr'), tvb, 6, 6, new Uint8Array(6));
    t.add(ROOT, f('arp'), tvb, 14, 28, null);
    expect(t.treeOrder()).toBeNull();
    expect(t.count).toBe(1);
  });

  it('hands out handles below -1 for unrecorded items, which setters ignore and add() places', () => {
    const t = new ProtoTree();
    t.reset('fields', wanted(['_ws.expert.message']));
    const eth = t.add(ROOT, f('eth'), tvb, 0, 14, null);
    expect(eth).toBeLessThan(-1);
    t.setText(eth, 'x');
    t.setLength(eth, 3);
    t.appendText(eth, 'y');
    expect(t.count).toBe(0);
    const m = t.add(eth, f('_ws.expert.message'), tvb, 0, 0, 'm');
    // Its recorded parent is the nearest recorded ancestor: none here.
    expect(t.parent[m]).toBe(ROOT);
  });

  it('without the skeleton (ordered false) still gives each item its nearest recorded ancestor', () => {
    const t = new ProtoTree();
    t.reset('fields', wanted(['eth', 'eth.addr', '_ws.expert.message']), false);
    const eth = t.add(ROOT, f('eth'), tvb, 0, 14, null);
    const src = t.add(eth, f('eth.src'), tvb, 6, 6, new Uint8Array(6));
    expect(src).toBeLessThan(-1);
    t.setText(src, 'x');
    const addr = t.add(src, f('eth.addr'), tvb, 6, 6, new Uint8Array(6));
    const lg = t.add(src, f('eth.src.lg'), tvb, 6, 3, false);
    const deep = t.add(lg, f('_ws.expert.message'), tvb, 0, 0, 'deep');
    const arp = t.add(ROOT, f('arp'), tvb, 14, 28, null);
    const top = t.add(arp, f('_ws.expert.message'), tvb, 0, 0, 'top');
    expect(t.count).toBe(4);
    expect([t.parent[eth], t.parent[addr], t.parent[deep], t.parent[top]]).toEqual([ROOT, eth, eth, ROOT]);
    expect(t.text[eth]).toBeUndefined();
    t.truncate(2);
    expect(t.count).toBe(2);
    t.add(eth, f('_ws.expert.message'), tvb, 0, 0, 'again');
    expect(t.valuesOf(f('_ws.expert.message'))).toEqual(['again']);
    expect(t.treeOrder()).toBeNull();
  });

  it('gives NO_ITEM and keeps nothing with the tree off', () => {
    const t = new ProtoTree();
    t.reset('none');
    expect(t.add(ROOT, f('eth'), tvb, 0, 14, null)).toBe(NO_ITEM);
    expect(t.count).toBe(0);
    expect(t.treeOrder()).toBeNull();
  });

  it('forgets a truncated attempt, skeleton included, and orders what follows', () => {
    for (const mode of ['full', 'fields'] as TreeMode[]) {
      const t = new ProtoTree();
      t.reset(mode, wanted(['tcp.seq', '_ws.expert.message']));
      const tcp = t.add(ROOT, f('tcp'), tvb, 0, 20, null);
      t.add(tcp, f('tcp.seq'), tvb, 4, 4, 1);
      const mark = t.count;
      const http = t.add(ROOT, f('http'), tvb, 20, 10, null);
      t.add(http, f('_ws.expert.message'), tvb, 0, 0, 'undone');
      t.truncate(mark);
      expect(t.treeOrder()).toBeNull();
      t.add(ROOT, f('http'), tvb, 20, 10, null);
      t.add(tcp, f('_ws.expert.message'), tvb, 0, 0, 'tcp');
      expect(t.valuesOf(f('_ws.expert.message'))).toEqual(['tcp']);
      t.add(ROOT, f('_ws.expert.message'), tvb, 0, 0, 'last');
      t.add(tcp, f('tcp.seq'), tvb, 4, 4, 2);
      expect(both(t, 'tcp.seq')).toEqual({ tree: [1, 2], items: [1, 2] });
      expect(t.valuesOf(f('_ws.expert.message'))).toEqual(['tcp', 'last']);
    }
  });

  it('walks trees deeper than its path buffer and wider than its first arrays', () => {
    const t = new ProtoTree();
    t.reset('fields', wanted(['_ws.expert.message']));
    const top = t.add(ROOT, f('eth'), tvb, 0, 14, null);
    let p = top;
    for (let d = 0; d < 200; d++) p = t.add(p, f('eth.trailer'), tvb, 0, 1, null);
    for (let k = 0; k < 600; k++) t.add(ROOT, f('arp'), tvb, 0, 1, null);
    t.add(ROOT, f('_ws.expert.message'), tvb, 0, 0, 'b');
    t.add(p, f('_ws.expert.message'), tvb, 0, 0, 'a');
    expect(both(t, '_ws.expert.message')).toEqual({ tree: ['a', 'b'], items: ['b', 'a'] });
  });
});
