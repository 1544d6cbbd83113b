import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Engine } from '../../../../../core/dissect/index.js';
import { fieldByName } from '../../../../../core/fields/registry.js';
import { execFileSync } from 'node:child_process';
import { TSHARK_OPTS, dissect, ourFields, readPcap, tsharkFields } from './tshark-compare.js';

// test/fixtures/tcp-http/lab-576.pcap: see its README. tshark options: TSHARK_OPTS (no reassembly).
// tshark 4.0.17 decodes port 85 and 22080 as HTTP by default (its http_tcp heuristic), as we do.
const LAB = new URL('../../../../fixtures/tcp-http/lab-576.pcap', import.meta.url).pathname;

const HTTP_FIELDS = [
  'http.request.method', 'http.request.uri', 'http.request.version', 'http.request.line', 'http.response.version',
  'http.response.code', 'http.response.code.desc', 'http.response.phrase', 'http.response.line', 'http.host',
  'http.user_agent', 'http.accept', 'http.accept_language', 'http.accept_encoding', 'http.connection', 'http.referer',
  'http.content_type', 'http.content_length_header', 'http.content_length', 'http.server', 'http.date',
  'http.last_modified', 'http.cache_control', 'http.location', 'http.cookie', 'http.set_cookie', 'http.file_data',
  'http.request.full_uri', 'http.request', 'http.response', 'http.unknown_header', 'data.data', 'data.len',
  '_ws.col.Protocol', '_ws.col.Info',
];

describe('http', () => {
  it('matches tshark on every HTTP field, Protocol and Info of the lab capture', () => {
    const recs = readPcap(LAB);
    const want = tsharkFields(LAB, HTTP_FIELDS);
    const e = new Engine();
    let compared = 0, skipped = 0;
    for (let i = 0; i < recs.length; i++) {
      dissect(e, recs[i], i + 1, 'full');
      const got = ourFields(e, HTTP_FIELDS);
      // A PNG body is dissected by Wireshark's PNG dissector (issue 4): its Info differs until then.
      if (want[i][HTTP_FIELDS.length - 1].includes('(PNG)')) { got.pop(); want[i].pop(); skipped++; }
      expect({ frame: i + 1, got }).toEqual({ frame: i + 1, got: want[i] });
      compared += got.filter((v) => v !== '').length;
    }
    expect(skipped).toBe(1);
    expect(compared).toBeGreaterThan(200);
  });

  it('splits the request line with byte ranges and builds the full URI', () => {
    const recs = readPcap(LAB);
    const e = new Engine();
    for (let i = 0; i < 4; i++) dissect(e, recs[i], i + 1, 'full');
    const t = e.tree;
    const at = (name: string) => {
      const i = t.find(fieldByName(name)!);
      return [t.start[i], t.length[i], t.value[i]];
    };
    expect(at('http.request.method')).toEqual([66, 3, 'GET']);
    expect(at('http.request.uri')).toEqual([70, 1, '/']);
    expect(at('http.request.version')).toEqual([72, 8, 'HTTP/1.1']);
    expect(at('http.host')).toEqual([82, 22, '198.18.22.1:85']);
    expect(t.text[t.find(fieldByName('http.host')!)]).toBe('Host: 198.18.22.1:85\\r\\n');
    expect(at('http.request.full_uri')[2]).toBe('http://198.18.22.1:85/');
    expect(e.pinfo.info).toBe('GET / HTTP/1.1 ');
    expect(e.pinfo.layers.join(':')).toMatch(/tcp:http$/);
  });

  it('shows a text body as Line-based text data and later segments as Continuation', () => {
    const recs = readPcap(LAB);
    const e = new Engine();
    for (let i = 0; i < 8; i++) {
      dissect(e, recs[i], i + 1, 'full');
      if (i === 5) {
        const lines = e.tree.find(fieldByName('data-text-lines')!);
        expect(e.tree.text[lines]).toBe('Line-based text data: text/html (8 lines)');
        expect(e.tree.children(lines).length).toBe(8);
        expect(e.pinfo.info).toBe('HTTP/1.1 200 OK  (text/html)');
      }
    }
    expect(e.pinfo.info).toBe('Continuation');
    expect(ourFields(e, ['data.len'])).toEqual(['524']);
  });

  // Summary passes (tree 'none', what `netlab read` and the packet list run) parse first lines and the
  // body-delimiting headers from bytes through a memo and keep only the matching state: a capture
  // made here of one keep-alive connection whose messages reach each branch of that parsing.
  it('gives tshark\'s Protocol, Info and frame.protocols on summary passes, and the same fields on full ones', () => {
    const path = variedCapture();
    const COLS = ['_ws.col.Protocol', '_ws.col.Info', 'frame.protocols'];
    const want = tsharkFields(path, COLS);
    const recs = readPcap(path);
    const e = new Engine();
    for (let i = 0; i < recs.length; i++) {
      dissect(e, recs[i], i + 1, 'none');
      // tshark's frame.protocols leaves out the frame layer itself.
      const got = [e.pinfo.protocol, e.pinfo.info, e.pinfo.layers.slice(1).join(':')];
      expect({ frame: i + 1, got }).toEqual({ frame: i + 1, got: want[i] });
    }
    expect(want.filter((w) => w[0] === 'HTTP').length).toBe(recs.length - 3);

    const wantFull = tsharkFields(path, HTTP_FIELDS_MATCHING);
    const f = new Engine();
    for (let i = 0; i < recs.length; i++) {
      dissect(f, recs[i], i + 1, 'full');
      expect({ frame: i + 1, got: ourFields(f, HTTP_FIELDS_MATCHING) }).toEqual({ frame: i + 1, got: wantFull[i] });
    }
  });

  it('labels header lines of a continuation as tshark -V: format_text escapes, " [truncated]" past 240 bytes', () => {
    const path = variedCapture();
    const recs = readPcap(path);
    const e = new Engine();
    const unknown = fieldByName('http.unknown_header')!;
    let checked = 0, truncated = 0;
    for (let i = 0; i < recs.length; i++) {
      dissect(e, recs[i], i + 1, 'full');
      const it = e.tree.find(unknown);
      if (it < 0) continue;
      const v = execFileSync('tshark', ['-r', path, ...TSHARK_OPTS, '-V', '-Y', `frame.number==${i + 1}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const lines = v.split('\n');
      const want = lines[lines.indexOf('Hypertext Transfer Protocol') + 1].slice(4);
      expect({ frame: i + 1, label: e.tree.text[it] }).toEqual({ frame: i + 1, label: want });
      checked++;
      if (want.startsWith(' [truncated]')) truncated++;
    }
    expect(checked).toBe(2);
    expect(truncated).toBe(1);
  });

  it('keeps on a summary first pass the request/response matching a full revisit shows (tshark -2)', () => {
    const path = variedCapture();
    const want = tsharkFields(path, HTTP_FIELDS_MATCHING, ['-2']);
    const recs = readPcap(path);
    const e = new Engine();
    for (let i = 0; i < recs.length; i++) dissect(e, recs[i], i + 1, 'none');
    for (let i = recs.length - 1; i >= 0; i--) {
      dissect(e, recs[i], i + 1, 'full', true);
      expect({ frame: i + 1, got: ourFields(e, HTTP_FIELDS_MATCHING) }).toEqual({ frame: i + 1, got: want[i] });
    }
  });
});

/** HTTP_FIELDS and the fields of request/response matching. */
const HTTP_FIELDS_MATCHING = [
  ...HTTP_FIELDS, 'http.request_in', 'http.response_in', 'http.time', 'http.request_number', 'http.response_number',
  'http.prev_request_in', 'http.prev_response_in', 'http.next_request_in', 'http.next_response_in', 'http.response_for.uri',
  'http.bad_header_name', '_ws.string.trailing_stray_characters',
];

const dir = mkdtempSync(join(tmpdir(), 'nlS-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One keep-alive connection 198.18.0.2:40001 -> 198.18.0.1:80 (RFC 2544 benchmarking addresses):
 * handshake, then each message in its own segment (or two in one: pipelining), 1 ms apart. Repeated
 * lines hit the memo, a URI over its 256-byte limit misses it, header names vary in case, values carry
 * white space, HEAD/1xx/204/304 have no body, chunked and gzip bodies take the slow path, text and
 * other media types end the Info differently, and a line that is no message is a Continuation.
 */
function variedCapture(): string {
  const path = join(dir, 'varied.pcap');
  const gz = gzipSync(Buffer.from('<p>gzip</p>\n'));
  const c = (s: string | Buffer) => ({ fromClient: true, data: Buffer.from(s) });
  const sv = (s: string | Buffer) => ({ fromClient: false, data: Buffer.from(s) });
  const get = (uri: string) => `GET ${uri} HTTP/1.1\r\nHost: lab.test\r\n\r\n`;
  const ok = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello';
  const msgs = [
    c(get('/index.html')), sv(ok), c(get('/index.html')), sv(ok),
    c('HEAD /x HTTP/1.1\r\nhOsT:   other.test\r\n\r\n'), sv('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/plain\r\n\r\n'),
    c(get('/c') + get('/d')), sv('HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n'),
    c('POST /form HTTP/1.1\r\nHost: lab.test\r\nContent-Type: text/plain\r\nCONTENT-LENGTH:\t 3\r\n\r\na=1'),
    sv('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-type: Text/Plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nok'),
    c(get('/' + 'a'.repeat(300))),
    sv('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
    c(get('/z')),
    sv(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\nContent-Length: ${gz.length}\r\n\r\n`), gz])),
    c(get('/bin')), sv('HTTP/1.1 404 Not Found\r\nContent-Type: application/x-unknown\r\nContent-Length: 4\r\n\r\nnope'),
    c(get('/index.html')), sv(ok.replace('text/html', 'TEXT/HTML; charset=utf-8')),
    // application/octet-stream is Data at the top level, no media type in the Info (4.0's media_type table).
    c(get('/oct')), sv(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n'), Buffer.from([1, 2, 3, 4])])),
    c('hello world\r\n'),
    // Trailing white space stays in header values (tshark 4.0: http.host "other.test  ", "3 ").
    c('POST /t HTTP/1.1\r\nHost: other.test  \r\nContent-Type: text/plain\r\nContent-Length: 3 \r\n\r\nb=2'),
    sv('HTTP/1.1 200 OK\r\nServer: x \t\r\nBad Name: y\r\nContent-Length: +2\r\n\r\nok'),
    // Continuations (no request or status line) read as packet-http.c does without desegmentation: a
    // header line then an unfinished line reads past the fragment; a bad name with a NUL and a long
    // line ('[truncated]' label); a first byte that is not printable makes it all data.
    c('x-a: 1\r\nno colon here'),
    c(Buffer.concat([Buffer.from('|\x19\xe1"Z: '), Buffer.from([0x00, 0x41]), Buffer.from('z'.repeat(300)), Buffer.from('\rtail')])),
    c(Buffer.from([0x89, 0x3a, 0x0a, 0x41])),
  ];
  const frames: Uint8Array[] = [];
  let cseq = 1000, sseq = 5000;
  frames.push(tcpFrame(true, 0x002, cseq++, 0, Buffer.alloc(0)));
  frames.push(tcpFrame(false, 0x012, sseq++, cseq, Buffer.alloc(0)));
  frames.push(tcpFrame(true, 0x010, cseq, sseq, Buffer.alloc(0)));
  for (const m of msgs) {
    if (m.fromClient) { frames.push(tcpFrame(true, 0x018, cseq, sseq, m.data)); cseq += m.data.length; }
    else { frames.push(tcpFrame(false, 0x018, sseq, cseq, m.data)); sseq += m.data.length; }
  }
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(65535, 16); h.writeUInt32LE(1, 20);
  parts.push(h);
  frames.forEach((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_700_000_000, 0); r.writeUInt32LE(i * 1000, 4);
    r.writeUInt32LE(f.length, 8); r.writeUInt32LE(f.length, 12);
    parts.push(r, Buffer.from(f));
  });
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** An Ethernet/IPv4/TCP frame of the test connection, with a correct IP header checksum. */
function tcpFrame(fromClient: boolean, flags: number, seq: number, ack: number, payload: Buffer): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20 + payload.length);
  const dv = new DataView(f.buffer);
  f.set(fromClient ? [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2] : [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
  dv.setUint16(12, 0x0800);
  f[14] = 0x45;
  dv.setUint16(16, 40 + payload.length);
  f[22] = 64; f[23] = 6;
  dv.setUint32(26, fromClient ? 0xc6120002 : 0xc6120001);
  dv.setUint32(30, fromClient ? 0xc6120001 : 0xc6120002);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += dv.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  dv.setUint16(24, ~sum & 0xffff);
  dv.setUint16(34, fromClient ? 40001 : 80); dv.setUint16(36, fromClient ? 80 : 40001);
  dv.setUint32(38, seq >>> 0); dv.setUint32(42, ack >>> 0);
  dv.setUint16(46, (5 << 12) | flags);
  dv.setUint16(48, 64240);
  f.set(payload, 54);
  return f;
}

