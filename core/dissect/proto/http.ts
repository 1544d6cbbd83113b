// Hypertext Transfer Protocol 1.x (Wireshark 4.0's epan/dissectors/packet-http.c; RFC 9112 message
// syntax). One segment at a time for now: a segment that starts with a request or status line is
// dissected as a message (first line, headers, blank line, body); any other segment of an HTTP stream
// is "Continuation", as tshark prints it with TCP desegmentation off.
//
// Left for issue 4, with their place marked below: reassembly across segments (TCP will hand a
// reassembled buffer in through the same dissectHttp entry, and a "need more bytes" answer will come
// back through Ctx), request/response matching (http.request_in, response_in, time, prev_request_in,
// next_response_in, request_number: a per-stream list of message starts kept in TcpState-style typed
// arrays keyed by pinfo.tcpStream), chunked and compressed bodies, and image bodies (PNG, GIF, JPEG).

import { FT, Base, defineFields, defineProtocol } from '../../fields/registry.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText } from '../text.js';
import { setStreamDissector } from './tcp.js';
import { HTTP_STATUS } from './http-status.js';

export const proto_http = defineProtocol('http', 'Hypertext Transfer Protocol', 'HTTP');
export const proto_text_lines = defineProtocol('data-text-lines', 'Line-based text data', 'Line-based text data');
export const proto_media = defineProtocol('media', 'Media Type', 'Media');

export const hf_http = defineFields(proto_http, {
  response: { abbrev: 'http.response', name: 'Response', type: FT.BOOLEAN, blurb: 'TRUE if HTTP response' },
  request: { abbrev: 'http.request', name: 'Request', type: FT.BOOLEAN, blurb: 'TRUE if HTTP request' },
  response_line: { abbrev: 'http.response.line', name: 'Response line', type: FT.STRING },
  request_line: { abbrev: 'http.request.line', name: 'Request line', type: FT.STRING },
  request_method: { abbrev: 'http.request.method', name: 'Request Method', type: FT.STRING, blurb: 'HTTP Request Method' },
  request_uri: { abbrev: 'http.request.uri', name: 'Request URI', type: FT.STRING, blurb: 'HTTP Request-URI' },
  request_version: { abbrev: 'http.request.version', name: 'Request Version', type: FT.STRING, blurb: 'HTTP Request HTTP-Version' },
  response_version: { abbrev: 'http.response.version', name: 'Response Version', type: FT.STRING, blurb: 'HTTP Response HTTP-Version' },
  request_full_uri: { abbrev: 'http.request.full_uri', name: 'Full request URI', type: FT.STRING, blurb: 'The full requested URI (including host name)' },
  response_code: { abbrev: 'http.response.code', name: 'Status Code', type: FT.UINT16, base: Base.DEC, blurb: 'HTTP Response Status Code' },
  response_code_desc: { abbrev: 'http.response.code.desc', name: 'Status Code Description', type: FT.STRING, blurb: 'HTTP Response Status Code Description' },
  response_phrase: { abbrev: 'http.response.phrase', name: 'Response Phrase', type: FT.STRING, blurb: 'HTTP Response Reason Phrase' },
  authorization: { abbrev: 'http.authorization', name: 'Authorization', type: FT.STRING },
  proxy_authenticate: { abbrev: 'http.proxy_authenticate', name: 'Proxy-Authenticate', type: FT.STRING },
  proxy_authorization: { abbrev: 'http.proxy_authorization', name: 'Proxy-Authorization', type: FT.STRING },
  www_authenticate: { abbrev: 'http.www_authenticate', name: 'WWW-Authenticate', type: FT.STRING },
  content_type: { abbrev: 'http.content_type', name: 'Content-Type', type: FT.STRING, blurb: 'HTTP Content-Type header' },
  content_length_header: { abbrev: 'http.content_length_header', name: 'Content-Length', type: FT.STRING, blurb: 'HTTP Content-Length header' },
  content_length: { abbrev: 'http.content_length', name: 'Content length', type: FT.UINT64, base: Base.DEC },
  content_encoding: { abbrev: 'http.content_encoding', name: 'Content-Encoding', type: FT.STRING },
  transfer_encoding: { abbrev: 'http.transfer_encoding', name: 'Transfer-Encoding', type: FT.STRING },
  upgrade: { abbrev: 'http.upgrade', name: 'Upgrade', type: FT.STRING },
  user_agent: { abbrev: 'http.user_agent', name: 'User-Agent', type: FT.STRING },
  host: { abbrev: 'http.host', name: 'Host', type: FT.STRING },
  connection: { abbrev: 'http.connection', name: 'Connection', type: FT.STRING },
  cookie: { abbrev: 'http.cookie', name: 'Cookie', type: FT.STRING },
  accept: { abbrev: 'http.accept', name: 'Accept', type: FT.STRING },
  referer: { abbrev: 'http.referer', name: 'Referer', type: FT.STRING },
  accept_language: { abbrev: 'http.accept_language', name: 'Accept-Language', type: FT.STRING },
  accept_encoding: { abbrev: 'http.accept_encoding', name: 'Accept Encoding', type: FT.STRING },
  date: { abbrev: 'http.date', name: 'Date', type: FT.STRING },
  cache_control: { abbrev: 'http.cache_control', name: 'Cache-Control', type: FT.STRING },
  server: { abbrev: 'http.server', name: 'Server', type: FT.STRING },
  location: { abbrev: 'http.location', name: 'Location', type: FT.STRING },
  sec_websocket_accept: { abbrev: 'http.sec_websocket_accept', name: 'Sec-WebSocket-Accept', type: FT.STRING },
  sec_websocket_extensions: { abbrev: 'http.sec_websocket_extensions', name: 'Sec-WebSocket-Extensions', type: FT.STRING },
  sec_websocket_key: { abbrev: 'http.sec_websocket_key', name: 'Sec-WebSocket-Key', type: FT.STRING },
  sec_websocket_protocol: { abbrev: 'http.sec_websocket_protocol', name: 'Sec-WebSocket-Protocol', type: FT.STRING },
  sec_websocket_version: { abbrev: 'http.sec_websocket_version', name: 'Sec-WebSocket-Version', type: FT.STRING },
  set_cookie: { abbrev: 'http.set_cookie', name: 'Set-Cookie', type: FT.STRING },
  last_modified: { abbrev: 'http.last_modified', name: 'Last-Modified', type: FT.STRING },
  x_forwarded_for: { abbrev: 'http.x_forwarded_for', name: 'X-Forwarded-For', type: FT.STRING },
  http2_settings: { abbrev: 'http.http2_settings', name: 'HTTP2-Settings', type: FT.STRING },
  file_data: { abbrev: 'http.file_data', name: 'File Data', type: FT.STRING },
  unknown_header: { abbrev: 'http.unknown_header', name: 'Unknown header', type: FT.STRING },
});

export const hf_media = defineFields(proto_media, {
  type: { abbrev: 'media.type', name: 'Media type', type: FT.BYTES },
});

/** Header name (lower case) -> field, as Wireshark's headers[] table (only the ones it has a field for). */
const HEADER_FIELDS = new Map([
  ['authorization', hf_http.authorization], ['proxy-authenticate', hf_http.proxy_authenticate],
  ['proxy-authorization', hf_http.proxy_authorization], ['www-authenticate', hf_http.www_authenticate],
  ['content-type', hf_http.content_type], ['content-length', hf_http.content_length_header],
  ['content-encoding', hf_http.content_encoding], ['transfer-encoding', hf_http.transfer_encoding],
  ['upgrade', hf_http.upgrade], ['user-agent', hf_http.user_agent], ['host', hf_http.host],
  ['connection', hf_http.connection], ['cookie', hf_http.cookie], ['accept', hf_http.accept],
  ['referer', hf_http.referer], ['accept-language', hf_http.accept_language],
  ['accept-encoding', hf_http.accept_encoding], ['date', hf_http.date], ['cache-control', hf_http.cache_control],
  ['server', hf_http.server], ['location', hf_http.location],
  ['sec-websocket-accept', hf_http.sec_websocket_accept], ['sec-websocket-extensions', hf_http.sec_websocket_extensions],
  ['sec-websocket-key', hf_http.sec_websocket_key], ['sec-websocket-protocol', hf_http.sec_websocket_protocol],
  ['sec-websocket-version', hf_http.sec_websocket_version], ['set-cookie', hf_http.set_cookie],
  ['last-modified', hf_http.last_modified], ['x-forwarded-for', hf_http.x_forwarded_for],
  ['http2-settings', hf_http.http2_settings],
]);

/** Request methods Wireshark's is_http_request_or_reply recognises (RFC 9110, WebDAV, SSDP, RTSP-like). */
const METHODS = new Set([
  'GET', 'PUT', 'POST', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH',
  'COPY', 'LOCK', 'MOVE', 'POLL', 'MKCOL', 'BCOPY', 'BMOVE', 'SEARCH', 'UNLOCK', 'NOTIFY', 'BDELETE',
  'SUBSCRIBE', 'PROPFIND', 'PROPPATCH', 'UNSUBSCRIBE', 'BPROPFIND', 'BPROPPATCH', 'M-SEARCH', 'LINK', 'UNLINK',
  'CHECKIN', 'CHECKOUT', 'UPDATE', 'LABEL', 'REPORT', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL',
  'BASELINE-CONTROL', 'ACL', 'ORDERPATCH', 'MKREDIRECTREF', 'UPDATEREDIRECTREF', 'RPC_IN_DATA', 'RPC_OUT_DATA',
]);

/** Wireshark's format_text: control characters as C escapes, so a label shows "\r\n". */
export function formatText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x5c && c !== 0x7f) { out += s[i]; continue; }
    switch (c) {
      case 0x0d: out += '\\r'; break;
      case 0x0a: out += '\\n'; break;
      case 0x09: out += '\\t'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0b: out += '\\v'; break;
      default: out += '\\x' + c.toString(16).padStart(2, '0'); break;
    }
  }
  return out;
}

/**
 * An FT_STRING value read with ENC_ASCII, as Wireshark 4.0 stores it: bytes above 0x7f become U+FFFD
 * and the string ends at the first NUL (fields are C strings).
 */
export function asciiValue(tvb: Tvb, off: number, len: number): string {
  const b = tvb.bytesAt(off, len);
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0) break;
    out += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
  }
  return out;
}

const enum Kind { NONE, REQUEST, RESPONSE }

/** Classifies a first line (Wireshark's is_http_request_or_reply, HTTP/1.x only). */
function classify(line: string): { kind: Kind; methodLen: number } {
  if (line.length >= 5 && line.startsWith('HTTP/')) return { kind: Kind.RESPONSE, methodLen: 0 };
  const sp = line.indexOf(' ');
  if (sp > 0 && METHODS.has(line.slice(0, sp))) return { kind: Kind.REQUEST, methodLen: sp };
  return { kind: Kind.NONE, methodLen: 0 };
}

/** The whole payload of one TCP segment of an HTTP stream. */
export function dissectHttp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  let off = 0;
  // Wireshark's dissect_http_tcp loop: several messages may share a segment (pipelining, keep-alive).
  while (off < tvb.length) {
    const used = dissectMessage(tvb.sub(off), ctx, parent, off === 0);
    if (used <= 0) break;
    off += used;
  }
  return tvb.length;
}

function dissectMessage(tvb: Tvb, ctx: Ctx, parent: Item, first: boolean): number {
  const { pinfo, tree } = ctx;
  const lineEnd = tvb.findLineEnd(0);
  const firstLine = tvb.latin1(0, lineEnd.lineLen);
  const { kind, methodLen } = lineEnd.next >= 0 ? classify(firstLine) : { kind: Kind.NONE, methodLen: 0 };
  if (first) {
    pinfo.enter('http', 'HTTP');
    if (pinfo.columns) pinfo.protocol = 'HTTP';
  }
  const top = tree.add(parent, proto_http, tvb, 0, -1, null);

  if (kind === Kind.NONE) {
    // Not the start of a message: with no reassembly, a body's later segment (packet-http.c sets
    // "Continuation" and hands the bytes to the body dissector as file data).
    if (pinfo.columns && first) pinfo.setInfo('Continuation');
    // tshark 4.0.17 shows "File Data" on a continuation only when the bytes are text (checked on
    // the fixture: a PNG's second segment has none); binary continuations are only "Data".
    if (isPrintable(tvb)) addFileData(ctx, top, tvb, 0, tvb.length);
    dissectData(tvb, ctx, top);
    return tvb.length;
  }

  if (pinfo.columns) {
    const text = formatText(firstLine) + ' ';
    if (first) pinfo.setInfo(text);
    else pinfo.appendInfoSep(' , ', text);
  }
  const lineField = kind === Kind.REQUEST ? hf_http.request_line : hf_http.response_line;
  const fl = addText(ctx, top, tvb, 0, lineEnd.next, formatText(tvb.latin1(0, lineEnd.next)));
  if (kind === Kind.REQUEST) dissectRequestLine(tvb, ctx, fl, firstLine, methodLen);
  else dissectStatusLine(tvb, ctx, fl, firstLine);

  // Headers up to the blank line (RFC 9112 §2.1).
  let off = lineEnd.next;
  let host: string | undefined;
  let contentType: string | undefined;
  let contentLength = -1;
  let sawBlank = false;
  while (off < tvb.length) {
    const le = tvb.findLineEnd(off);
    if (le.next < 0) break; // header block cut by the segment end: the rest is for reassembly (issue 4)
    if (le.lineLen === 0) {
      addText(ctx, top, tvb, off, le.next - off, formatText(tvb.latin1(off, le.next - off)));
      off = le.next;
      sawBlank = true;
      break;
    }
    const lineWithEnd = asciiValue(tvb, off, le.next - off);
    const colon = tvb.find(0x3a, off, le.lineLen);
    const name = colon > off ? tvb.latin1(off, colon - off).toLowerCase() : '';
    const field = colon > off ? HEADER_FIELDS.get(name) : undefined;
    const label = formatText(tvb.latin1(off, le.next - off));
    if (field !== undefined) {
      const value = asciiValue(tvb, colon + 1, off + le.lineLen - colon - 1).trim();
      const it = tree.add(top, field, tvb, off, le.next - off, value);
      if (tree.full) tree.setText(it, label);
      if (field === hf_http.host) host = value;
      else if (field === hf_http.content_type) contentType = value;
      else if (field === hf_http.content_length_header) {
        if (/^\d+$/.test(value)) {
          contentLength = Number(value);
          tree.add(it, hf_http.content_length, tvb, off, le.next - off, BigInt(value), ItemFlags.GENERATED);
        }
      }
      // Every header line is also a hidden http.request.line / http.response.line (packet-http.c).
      tree.add(top, lineField, tvb, off, le.next - off, lineWithEnd, ItemFlags.HIDDEN);
    } else {
      // A header Wireshark has no field for is shown as the bare line, filterable as the *.line field.
      const it = tree.add(top, lineField, tvb, off, le.next - off, lineWithEnd);
      if (tree.full) tree.setText(it, label);
    }
    off = le.next;
  }

  tree.add(top, kind === Kind.REQUEST ? hf_http.request : hf_http.response, tvb, 0, 0, true, ItemFlags.HIDDEN);
  if (kind === Kind.REQUEST && host !== undefined) {
    const uri = firstLine.split(' ')[1] ?? '';
    // Wireshark builds it from the Host header and the URI when the URI is a path.
    const full = uri.startsWith('/') ? `http://${host}${uri}` : uri;
    const it = tree.add(top, hf_http.request_full_uri, tvb, 0, 0, full, ItemFlags.GENERATED);
    if (tree.full) tree.setText(it, `[Full request URI: ${full}]`);
  }
  // Issue 4: request/response matching (http.request_number, response_in, request_in, time,
  // prev_request_in, response_for.uri) goes here, from the stream's message list.

  if (!sawBlank) {
    tree.setLength(top, off);
    return tvb.length;
  }
  // Body: Content-Length bytes, or (a response without it) the rest of the segment; a request
  // without Content-Length has no body (RFC 9112 §6.3).
  const rest = tvb.length - off;
  const bodyLen = contentLength >= 0 ? Math.min(contentLength, rest) : kind === Kind.RESPONSE ? rest : 0;
  if (bodyLen > 0) {
    addFileData(ctx, top, tvb, off, bodyLen);
    dissectBody(tvb.sub(off, bodyLen), ctx, parent, contentType);
  }
  const used = off + bodyLen;
  tree.setLength(top, used);
  return contentLength >= 0 && contentLength > rest ? tvb.length : used;
}

function dissectRequestLine(tvb: Tvb, ctx: Ctx, parent: Item, line: string, methodLen: number): void {
  const { tree } = ctx;
  tree.add(parent, hf_http.request_method, tvb, 0, methodLen, line.slice(0, methodLen));
  const uriStart = methodLen + 1;
  let uriEnd = line.indexOf(' ', uriStart);
  if (uriEnd < 0) uriEnd = line.length;
  tree.add(parent, hf_http.request_uri, tvb, uriStart, uriEnd - uriStart, line.slice(uriStart, uriEnd));
  if (uriEnd < line.length) tree.add(parent, hf_http.request_version, tvb, uriEnd + 1, line.length - uriEnd - 1, line.slice(uriEnd + 1));
}

function dissectStatusLine(tvb: Tvb, ctx: Ctx, parent: Item, line: string): void {
  const { tree } = ctx;
  const sp = line.indexOf(' ');
  const verEnd = sp < 0 ? line.length : sp;
  tree.add(parent, hf_http.response_version, tvb, 0, verEnd, line.slice(0, verEnd));
  if (sp < 0) return;
  const codeText = line.slice(sp + 1, sp + 4);
  if (!/^\d{3}$/.test(codeText)) return;
  const code = Number(codeText);
  tree.add(parent, hf_http.response_code, tvb, sp + 1, 3, code);
  const desc = HTTP_STATUS[code] ?? 'Unknown';
  const d = tree.add(parent, hf_http.response_code_desc, tvb, sp + 1, 3, desc, ItemFlags.GENERATED);
  void d;
  const phraseStart = sp + 5;
  if (phraseStart <= line.length) tree.add(parent, hf_http.response_phrase, tvb, phraseStart, line.length - phraseStart, line.slice(phraseStart));
}

function isPrintable(tvb: Tvb): boolean {
  const b = tvb.bytesAt(0, tvb.length);
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c >= 0x7f) return false;
  }
  return true;
}

function addFileData(ctx: Ctx, parent: Item, tvb: Tvb, off: number, len: number): void {
  const { tree } = ctx;
  if (!tree.wants(hf_http.file_data)) return;
  const it = tree.add(parent, hf_http.file_data, tvb, off, len, asciiValue(tvb, off, len));
  if (tree.full) tree.setText(it, `File Data: ${len} byte${len === 1 ? '' : 's'}`);
}

/** Media types Wireshark 4.0 hands to "Line-based text data" (packet-text-media.c's registrations). */
function isTextMedia(type: string): boolean {
  return type.startsWith('text/') || type === 'application/xml' || type === 'application/x-javascript' ||
    type === 'application/javascript' || type === 'application/x-www-form-urlencoded' || type === 'application/x-ns-proxy-autoconfig';
}

/** The body by media type: text as lines, anything else as "Media Type" (issue 4 adds images). */
function dissectBody(tvb: Tvb, ctx: Ctx, parent: Item, contentType: string | undefined): void {
  const { pinfo, tree } = ctx;
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === undefined || type === '') {
    dissectData(tvb, ctx, parent);
    return;
  }
  if (isTextMedia(type)) {
    pinfo.enter('data-text-lines', 'Line-based text data');
    if (pinfo.columns) pinfo.appendInfo(` (${type})`);
    const top = tree.add(parent, proto_text_lines, tvb, 0, tvb.length, null);
    let off = 0, lines = 0;
    while (off < tvb.length) {
      const le = tvb.findLineEnd(off);
      const end = le.next < 0 ? tvb.length : le.next;
      addText(ctx, top, tvb, off, end - off, formatText(tvb.latin1(off, end - off)));
      lines++;
      off = end;
    }
    if (tree.full) tree.setText(top, `Line-based text data: ${type} (${lines} lines)`);
    return;
  }
  pinfo.enter('media', 'Media');
  if (pinfo.columns) pinfo.appendInfo(` (${type})`);
  const top = tree.add(parent, proto_media, tvb, 0, tvb.length, null);
  if (tree.full) tree.setText(top, `Media Type`);
  tree.add(top, hf_media.type, tvb, 0, tvb.length, tvb.bytesAt(0, tvb.length));
}

/**
 * Wireshark 4.0's HTTP heuristic on TCP (dissect_http_heur_tcp): a first complete line that starts or
 * ends with "HTTP/1." makes the whole stream HTTP from this frame on. This is how the lab's port 85 is
 * recognised; tshark 4.0.17 decodes it by default, so no "-d tcp.port==85,http" is needed.
 */
function httpHeuristic(tvb: Tvb, ctx: Ctx, parent: Item): boolean {
  const le = tvb.findLineEnd(0);
  if (le.next < 0 || le.lineLen === 8 || le.lineLen < 7) return false;
  const startsHttp = tvb.latin1(0, 7).toUpperCase() === 'HTTP/1.';
  const endsHttp = le.lineLen >= 8 && tvb.latin1(le.lineLen - 8, 7).toUpperCase() === 'HTTP/1.';
  if (!startsHttp && !endsHttp) return false;
  setStreamDissector(ctx, dissectHttp);
  dissectHttp(tvb, ctx, parent);
  return true;
}

// TCP ports Wireshark 4.0 registers HTTP on ("tcp.port" range default of packet-http.c, plus SSDP's
// 1900 and the UPnP/WS-Management ports it adds).
for (const port of [80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710]) tables.tcpPort.add(port, dissectHttp);
tables.tcpHeuristic.add('http_tcp', httpHeuristic);
