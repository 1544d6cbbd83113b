// The N-API addon under a hostile sequence of calls (issue 7): real libpcap on lo, run as root.
// Nothing may crash the process; every misuse is a thrown error with a code, libpcap's text and a hint.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { forEachRecord } from '../../../native/helper-protocol.js';
import { isNativeError, loadAddon, type CaptureHandle } from '../../../native/index.js';

const addon = loadAddon();

function thrown(fn: () => unknown): { code: string; message: string; hint: string } {
  try {
    fn();
  } catch (e) {
    if (!isNativeError(e)) throw e;
    return { code: e.code, message: e.message, hint: e.hint };
  }
  throw new Error('expected a throw');
}

describe('capture addon (libpcap, N-API)', () => {
  it('lists interfaces with addresses and flags, loopback included', () => {
    const list = addon.interfaces();
    const lo = list.find((i) => i.name === 'lo');
    expect(lo).toBeDefined();
    expect(lo!.loopback).toBe(true);
    expect(lo!.up).toBe(true);
    expect(lo!.addresses).toContainEqual({ family: 'inet', addr: '127.0.0.1', netmask: '255.0.0.0', broadaddr: '' });
    expect(addon.libVersion).toMatch(/^libpcap version/);
  });

  it("checks capture filters and returns libpcap's own message", () => {
    expect(addon.checkFilter(1, 262144, 'tcp port 25080 and host 10.0.0.1')).toBeNull();
    // The same text tcpdump prints for this filter.
    const tcpdump = (() => {
      try {
        execFileSync('tcpdump', ['-d', '-y', 'EN10MB', 'tcp port'], { stdio: 'pipe' });
        return '';
      } catch (e) {
        return String((e as { stderr: Buffer }).stderr);
      }
    })();
    const msg = addon.checkFilter(1, 262144, 'tcp port');
    expect(msg).toBe("can't parse filter expression: syntax error");
    expect(tcpdump).toContain(msg);
    expect(addon.checkFilter(1, 262144, 'wlan type mgt')).toBe('802.11 link-layer types supported only on 802.11');
    // The same text compiles on an 802.11 link (LINKTYPE_IEEE802_11 = 105): the link type matters.
    expect(addon.checkFilter(105, 262144, 'wlan type mgt')).toBeNull();
    expect(addon.checkFilter(1, 262144, 'vlan 5000')).toBe('VLAN tag 5000 greater than maximum 4095');
  });

  it('opens lo, delivers batches with ns timestamps and both lengths, and reports stats', async () => {
    let records = 0;
    let lens: [number, number][] = [];
    const h = addon.open({ device: 'lo', filter: 'icmp and host 127.0.0.1', snaplen: 60 }, (err, batch, count) => {
      expect(err).toBeNull();
      const n = forEachRecord(batch!, (r) => {
        lens.push([r.capLen, r.origLen]);
        expect(r.tsNsec).toBeGreaterThanOrEqual(0);
        expect(r.tsNsec).toBeLessThan(1e9);
      });
      expect(n).toBe(count);
      records += n;
    });
    expect(h.linkType).toBe(1);
    expect(h.snaplen).toBe(60);
    expect(h.nanosecond).toBe(true);
    execFileSync('ping', ['-c', '2', '-i', '0.2', '-s', '200', '127.0.0.1'], { stdio: 'ignore' });
    const until = Date.now() + 5000;
    while (records < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(records).toBe(4);
    lens = lens.slice(0, 4);
    // ICMP with 200 data bytes: 242 on the wire, 60 captured (tcpdump -s 60 gives the same).
    expect(lens).toEqual([[60, 242], [60, 242], [60, 242], [60, 242]]);
    const s = h.stats();
    expect(s.dropped).toBe(0);
    expect(s.received).toBeGreaterThanOrEqual(4);
    h.close();
  });

  it('survives close twice, calls after close, bad filters and missing interfaces', () => {
    const h: CaptureHandle = addon.open({ device: 'lo' }, () => {});
    const bad = thrown(() => h.setFilter('port 99999999'));
    expect(bad.code).toBe('ERR_CAPTURE_FILTER');
    expect(bad.message).toMatch(/port/);
    h.setFilter('udp port 25001');
    h.close();
    h.close();
    expect(h.closed).toBe(true);
    expect(thrown(() => h.setFilter('tcp')).code).toBe('ERR_CAPTURE_CLOSED');
    const st = thrown(() => h.stats());
    expect(st.code).toBe('ERR_CAPTURE_CLOSED');
    expect(st.hint).toMatch(/new capture/i);

    const missing = thrown(() => addon.open({ device: 'nlF-nope0' }, () => {}));
    expect(missing.code).toBe('ERR_CAPTURE_NO_DEVICE');
    expect(missing.message).toContain('nlF-nope0');
    expect(missing.hint).toContain('netlab interfaces');

    const badOpen = thrown(() => addon.open({ device: 'lo', filter: 'tcp port' }, () => {}));
    expect(badOpen).toMatchObject({ code: 'ERR_CAPTURE_FILTER', message: "can't parse filter expression: syntax error" });

    expect(thrown(() => addon.open({} as never, () => {})).code).toBe('ERR_CAPTURE_ARGS');
    expect(thrown(() => addon.open({ device: 'lo' }, 42 as never)).code).toBe('ERR_CAPTURE_ARGS');
    expect(thrown(() => addon.checkFilter('x' as never, 1, 'tcp')).code).toBe('ERR_CAPTURE_ARGS');
  });

  it('opens and closes many handles in a row without leaking file descriptors', () => {
    const fds = () => Number(execFileSync('sh', ['-c', `ls /proc/${process.pid}/fd | wc -l`], { encoding: 'utf8' }));
    const before = fds();
    for (let i = 0; i < 50; i++) {
      const h = addon.open({ device: 'lo', filter: 'udp port 25002' }, () => {});
      if (i % 2 === 0) h.stats();
      h.close();
    }
    expect(fds()).toBeLessThanOrEqual(before + 2);
  });
});
