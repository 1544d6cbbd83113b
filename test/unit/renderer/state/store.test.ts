// @vitest-environment jsdom
// The store's slices: counts and generations, filter history and bookmarks (kept in localStorage),
// the related frames of a selection, the suggested interface, the bounded access log, dialogs.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessLogEntry, CaptureInterfaceInfo } from '../../../../electron/api/contract.js';
import type { Detail, DetailItem } from '../../../../renderer/engine/protocol.js';
import { suggestInterface } from '../../../../renderer/state/capture-slice.js';
import { relatedFrames } from '../../../../renderer/state/selection-slice.js';
import { createAppStore } from '../../../../renderer/state/store.js';

const item = (abbrev: string, link?: number): DetailItem => ({ label: abbrev, parent: -1, source: 0, start: 0, length: 0, abbrev, value: '', generated: true, expert: false, ...(link ? { link } : {}) });
const IFACES: CaptureInterfaceInfo[] = [
  { name: 'eth0', addresses: ['192.168.1.20', 'fe80::1'], loopback: false, up: true },
  { name: 'lo', addresses: ['127.0.0.1', '::1'], loopback: true, up: true },
  { name: 'wlan0', addresses: ['10.130.249.231'], loopback: false, up: true },
];

beforeEach(() => localStorage.clear());

describe('capture slice', () => {
  it('bumps the generation only when asked (new file, filter), not for live growth', () => {
    const s = createAppStore();
    s.getState().setCounts(10, 10);
    expect(s.getState().generation).toBe(0);
    s.getState().setCounts(10, 3, true);
    expect(s.getState()).toMatchObject({ total: 10, displayed: 3, generation: 1 });
  });

  it('suggests loopback for a browser on this machine and the LAN interface for another machine', () => {
    expect(suggestInterface(IFACES, null)?.name).toBe('lo');
    expect(suggestInterface(IFACES, '127.0.0.1')?.name).toBe('lo');
    expect(suggestInterface(IFACES, '::ffff:127.0.0.1')?.name).toBe('lo');
    expect(suggestInterface(IFACES, '10.130.249.8')?.name).toBe('wlan0');
    expect(suggestInterface(IFACES, '::ffff:192.168.1.77')?.name).toBe('eth0');
    // A request to our own LAN address from this machine travels over loopback.
    expect(suggestInterface(IFACES, '192.168.1.20')?.name).toBe('lo');
    // Another subnet (routed): the first interface that is up and not loopback.
    expect(suggestInterface(IFACES, '172.16.0.9')?.name).toBe('eth0');
    expect(suggestInterface([], null)).toBeUndefined();
  });
});

describe('interface traffic', () => {
  it('turns counters into packets per second, keeping the last 30 points', () => {
    const s = createAppStore();
    for (let i = 0; i <= 40; i++) s.getState().pushTraffic([{ name: 'lo', packets: 1000 + i * 5 }, { name: 'eth0', packets: i * i }]);
    const lo = s.getState().traffic.lo;
    expect(lo).toHaveLength(30);
    expect(lo.every((v) => v === 5)).toBe(true);
    expect(s.getState().traffic.eth0.slice(-2)).toEqual([39 * 39 - 38 * 38, 40 * 40 - 39 * 39]);
    // The first point has nothing to differ from: 0, never the whole counter.
    const fresh = createAppStore();
    fresh.getState().pushTraffic([{ name: 'lo', packets: 123456 }]);
    expect(fresh.getState().traffic.lo).toEqual([0]);
  });
});

describe('filter slice', () => {
  it('keeps a history, newest first, without duplicates or empty filters', () => {
    const s = createAppStore();
    for (const f of ['tcp', 'http', '', 'tcp']) s.getState().filterApplied(f);
    expect(s.getState().history).toEqual(['tcp', 'http']);
    expect(s.getState().applied).toBe('tcp');
  });

  it('bookmarks filters and keeps them across runs', () => {
    const s = createAppStore();
    s.getState().toggleBookmark(' http contains "1911406" ');
    s.getState().toggleBookmark('tcp.port in {85}');
    expect(s.getState().bookmarks).toEqual(['http contains "1911406"', 'tcp.port in {85}']);
    expect(createAppStore().getState().bookmarks).toEqual(['http contains "1911406"', 'tcp.port in {85}']);
    s.getState().toggleBookmark('tcp.port in {85}');
    expect(createAppStore().getState().bookmarks).toEqual(['http contains "1911406"']);
    s.getState().toggleBookmark('   ');
    expect(s.getState().bookmarks).toHaveLength(1);
  });
});

describe('selection slice', () => {
  it('marks the request of a response, and prefers it over the ACKed-frame mark', () => {
    const d: Detail = { num: 6, sources: [], items: [item('tcp.analysis.acks_frame', 4), item('http.request_in', 4), item('http.next_request_in', 11), item('frame.number')] };
    expect([...relatedFrames(d)]).toEqual([[4, 'request'], [11, 'same-stream']]);
    const s = createAppStore();
    s.getState().select(6, 5, d);
    expect(s.getState().related.get(4)).toBe('request');
    s.getState().select(null, -1, null);
    expect(s.getState().related.size).toBe(0);
  });

  it('opens the ancestors of an item selected from the bytes pane', () => {
    const d: Detail = { num: 1, sources: [], items: [{ ...item('eth'), parent: -1 }, { ...item('eth.src'), parent: 0 }] };
    const s = createAppStore();
    s.getState().select(1, 0, d);
    s.getState().selectItem(1);
    expect([...s.getState().expanded]).toEqual(['eth']);
  });
});

describe('server slice and dialogs', () => {
  it('bounds the access log to its last 500 lines', () => {
    const s = createAppStore();
    for (let i = 0; i < 510; i++) s.getState().logAccess({ line: String(i) } as AccessLogEntry);
    expect(s.getState().accessLog).toHaveLength(500);
    expect(s.getState().accessLog[0].line).toBe('10');
  });

  it('opens one dialog at a time', () => {
    const s = createAppStore();
    s.getState().openDialog('goto');
    s.getState().openDialog('save');
    expect(s.getState().dialog).toBe('save');
  });
});
