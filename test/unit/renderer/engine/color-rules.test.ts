// The colouring rules are Wireshark's colorfilters compiled by core/filter: every frame of real
// captures gets the rule tshark 4.0.17 gives it (`tshark --color -e frame.coloring_rule.name`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../../core/filter/index.js';
import { fieldCount } from '../../../../core/fields/registry.js';
import '../../../../core/dissect/index.js';
import { COLOR_RULES, ColorMatcher, effectiveFilter, parseColorfilters } from '../../../../renderer/engine/color-rules.js';
import { setFilterCompiler } from '../../../../renderer/engine/filter-port.js';
import { CaptureSession } from '../../../../renderer/engine/session.js';

setFilterCompiler(compileFilter);

const FILES = ['assets/sample/lab-exchange.pcapng', 'test/fixtures/l3/l3-eth.pcap', 'test/fixtures/l3/l3-ipv4.pcap'].filter((f) => existsSync(f));

describe('colouring rules', () => {
  it('parses Wireshark 4.0\'s colorfilters file, in order, with its colours', () => {
    const shipped = existsSync('/usr/share/wireshark/colorfilters') ? parseColorfilters(readFileSync('/usr/share/wireshark/colorfilters', 'utf8')) : null;
    if (shipped) expect(COLOR_RULES).toEqual(shipped);
    expect(COLOR_RULES[0]).toEqual({ name: 'Bad TCP', filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack', bg: '#12272e', fg: '#f78787' });
  });

  it('keeps the compilable alternatives of a rule and disables rules naming only unknown protocols', () => {
    expect(effectiveFilter('http || tcp.port == 80 || http2')).toBe('http || tcp.port == 80');
    expect(effectiveFilter('smb || nbss || nbns || netbios')).toBeNull();
    expect(effectiveFilter('tcp')).toBe('tcp');
    expect(effectiveFilter('eth[0] & 1')).toBe('eth[0] & 1');
    const m = new ColorMatcher(fieldCount());
    const names = m.enabled.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['Bad TCP', 'ICMP errors', 'ARP', 'ICMP', 'TCP RST', 'Checksum Errors', 'HTTP', 'TCP SYN/FIN', 'TCP', 'UDP', 'Broadcast']));
    for (const r of m.enabled) expect(compileFilter(r.filter).ok).toBe(true);
  });

  for (const f of FILES) {
    it(`colours every frame of ${f} as tshark --color does`, () => {
      const want = execFileSync('tshark', ['-n', '--color', '-r', f, '-T', 'fields', '-e', 'frame.coloring_rule.name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n');
      const s = new CaptureSession();
      const b = readFileSync(f);
      s.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
      s.end();
      const got = s.rows(0, want.length).map((r) => (r.color >= 0 ? COLOR_RULES[r.color].name : ''));
      expect(got).toEqual(want);
    });
  }
});
