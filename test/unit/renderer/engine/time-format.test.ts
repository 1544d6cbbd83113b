// View › Time Display Format: the packet list's Time column in every format equals tshark -t's, on a
// nanosecond pcapng and a microsecond pcap, with and without a display filter (dd counts displayed
// packets only).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../../core/filter/index.js';
import { setFilterCompiler } from '../../../../renderer/engine/filter-port.js';
import { TIME_FORMATS } from '../../../../renderer/engine/protocol.js';
import { CaptureSession } from '../../../../renderer/engine/session.js';

setFilterCompiler(compileFilter);
const FILES = ['assets/sample/lab-exchange.pcapng', 'test/fixtures/l3/l3-ipv4.pcap'].filter((f) => existsSync(f));

function tsharkTimes(file: string, fmt: string, filter: string | null): string[] {
  return execFileSync('tshark', ['-n', '-r', file, '-t', fmt, ...(filter ? ['-Y', filter] : []), '-T', 'fields', '-e', '_ws.col.Time'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n');
}

describe('Time column formats', () => {
  for (const file of FILES) {
    for (const filter of [null, 'frame.number > 3 && frame.number != 7']) {
      it(`${file}${filter ? ` -Y ${filter}` : ''}: every format as tshark -t prints it`, () => {
        const s = new CaptureSession();
        const b = readFileSync(file);
        s.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
        s.end();
        if (filter) expect(s.applyFilter(filter).ok).toBe(true);
        for (const fmt of TIME_FORMATS) {
          const want = tsharkTimes(file, fmt, filter);
          expect(s.rows(0, want.length, fmt).map((r) => r.time), fmt).toEqual(want);
        }
      });
    }
  }
});
