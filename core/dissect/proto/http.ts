// Hypertext Transfer Protocol 1.x (Wireshark 4.0's epan/dissectors/packet-http.c; RFC 9112 message
// syntax). A message is dissected once it is whole: the header block and the body delimited by
// Content-Length, chunked transfer coding, or the connection close (RFC 9112 §6.3), none for HEAD and
// 1xx/204/304 responses. Until then it asks TCP for more (pinfo.desegmentOffset/desegmentLen), as
// Wireshark's req_resp_hdrs_do_reassembly does; several messages may share a segment (pipelining).
// Requests and responses of a TCP stream are matched in order (http.request_in, response_in, time,
// request_number ...); gzip/deflate bodies are decoded with fflate into "Uncompressed entity body",
// chunked ones into "De-chunked entity body"; text bodies become Line-based text data, PNG/JPEG/GIF go
// to the image dissectors.

import { FT, Base, defineFields, defineProtocol } from '../../fields/registry.js';
import { type Ctx, tables } from '../table.js';
import { FieldGroup, ItemFlags, NO_ITEM, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText, hf_text } from '../text.js';
import { setStreamDissector } from './tcp.js';
import { HTTP_STATUS } from './http-status.js';
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN } from '../packet.js';
import { Tvb as TvbClass } from '../tvb.js';
import { gunzipSync, inflateSync, unzlibSync } from 'fflate';
import { dissectPng, isPng } from './png.js';
import { dissectGif, dissectJpeg, isGif, isJpeg } from './image.js';
import { taps } from '../tap/taps.js';
import { grow } from '../grow.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert, hf_expert, proto_expert } from '../frame.js';

export const proto_http = defineProtocol('http', 'Hypertext Transfer Protocol', 'HTTP');
const hf_http_chat = defineFields(proto_http, {
  chat: { abbrev: 'http.chat', name: 'Formatted text', type: FT.NONE },
});
const ei_http_chat: ExpertInfo = { field: hf_http_chat.chat, severity: ExpertSeverity.CHAT, group: ExpertGroup.SEQUENCE };
const hf_http_expert = defineFields(proto_http, {
  bad_header_name: { abbrev: 'http.bad_header_name', name: 'Illegal characters found in header name', type: FT.NONE },
});
const ei_http_bad_header_name: ExpertInfo = { field: hf_http_expert.bad_header_name, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
// proto.c's string errors: an ENC_ASCII string item whose bytes go on past a NUL (detect_trailing_stray_characters).
const proto_ws_string = defineProtocol('_ws.string', 'String errors', 'String Errors');
const hf_ws_string = defineFields(proto_ws_string, {
  trailing_stray_characters: { abbrev: '_ws.string.trailing_stray_characters', name: 'Trailing stray characters', type: FT.NONE },
});
const ei_string_trailing_characters: ExpertInfo = { field: hf_ws_string.trailing_stray_characters, severity: ExpertSeverity.WARN, group: ExpertGroup.UNDECODED };
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
  request_number: { abbrev: 'http.request_number', name: 'Request number', type: FT.UINT32, base: Base.DEC },
  response_number: { abbrev: 'http.response_number', name: 'Response number', type: FT.UINT32, base: Base.DEC },
  request_in: { abbrev: 'http.request_in', name: 'Request in frame', type: FT.FRAMENUM, blurb: 'This packet is a response to the packet with this number' },
  response_in: { abbrev: 'http.response_in', name: 'Response in frame', type: FT.FRAMENUM, blurb: 'This packet will be responded in the packet with this number' },
  next_request_in: { abbrev: 'http.next_request_in', name: 'Next request in frame', type: FT.FRAMENUM },
  next_response_in: { abbrev: 'http.next_response_in', name: 'Next response in frame', type: FT.FRAMENUM },
  prev_request_in: { abbrev: 'http.prev_request_in', name: 'Prev request in frame', type: FT.FRAMENUM },
  prev_response_in: { abbrev: 'http.prev_response_in', name: 'Prev response in frame', type: FT.FRAMENUM },
  time: { abbrev: 'http.time', name: 'Time since request', type: FT.RELATIVE_TIME, unit: ' seconds' },
  response_for_uri: { abbrev: 'http.response_for.uri', name: 'Request URI', type: FT.STRING },
  chunk_size: { abbrev: 'http.chunk_size', name: 'Chunk size', type: FT.UINT32, base: Base.DEC },
  chunk_data: { abbrev: 'http.chunk_data', name: 'Chunk data', type: FT.BYTES },
  chunk_boundary: { abbrev: 'http.chunk_boundary', name: 'Chunk boundary', type: FT.BYTES },
  decompression_failed: { abbrev: 'http.decompression_failed', name: 'Decompression failed', type: FT.NONE },
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
const HEADER_FIELD_LIST = [...HEADER_FIELDS.values()];

// What a message's parts may add, for passes that record only some fields (ProtoTree.wantsAny).
/** Anything at all: otherwise a message is dissected as on a summary pass (state and columns only). */
const MESSAGE_ITEMS = new FieldGroup([proto_http, proto_expert, proto_ws_string, proto_text_lines, proto_media, hf_text]);
/** The header lines' items, their experts included. */
const HEADER_ITEMS = new FieldGroup([proto_expert, proto_ws_string],
  [hf_http.request_line, hf_http.response_line, hf_http.content_length, hf_http_expert.bad_header_name, ...HEADER_FIELD_LIST]);
/** The first line's Chat expert. */
const CHAT_ITEMS = new FieldGroup([proto_expert], [hf_http_chat.chat]);
/** What a text body sent as it is adds (messageBody). */
const BODY_ITEMS = new FieldGroup([proto_text_lines, hf_text], [hf_http.file_data]);
/** Request/response matching's generated items. */
const MATCH_ITEMS = new FieldGroup([], [hf_http.request_number, hf_http.response_number, hf_http.time, hf_http.request_in,
  hf_http.response_in, hf_http.next_request_in, hf_http.next_response_in, hf_http.prev_request_in, hf_http.prev_response_in,
  hf_http.response_for_uri]);

/** Request methods Wireshark's is_http_request_or_reply recognises (RFC 9110, WebDAV, SSDP, RTSP-like). */
const METHODS = new Set([
  'GET', 'PUT', 'POST', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH',
  'COPY', 'LOCK', 'MOVE', 'POLL', 'MKCOL', 'BCOPY', 'BMOVE', 'SEARCH', 'UNLOCK', 'NOTIFY', 'BDELETE',
  'SUBSCRIBE', 'PROPFIND', 'PROPPATCH', 'UNSUBSCRIBE', 'BPROPFIND', 'BPROPPATCH', 'M-SEARCH', 'LINK', 'UNLINK',
  'CHECKIN', 'CHECKOUT', 'UPDATE', 'LABEL', 'REPORT', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL',
  'BASELINE-CONTROL', 'ACL', 'ORDERPATCH', 'MKREDIRECTREF', 'UPDATEREDIRECTREF', 'RPC_IN_DATA', 'RPC_OUT_DATA',
]);

/**
 * Wireshark 4.0's format_text: control characters as C escapes, so a label shows "\r\n"; a backslash
 * stays as it is (4.0 escapes only what is not printable).
 */
export function formatText(s: string): string {
  // Most text (every Info column's first line) has nothing to escape: return it as it is.
  let k = 0;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c === 0x7f) break;
    k++;
  }
  if (k === s.length) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) { out += s[i]; continue; }
    switch (c) {
      case 0x0d: out += '\\r'; break;
      case 0x0a: out += '\\n'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0b: out += '\\v'; break;
      // Wireshark 4.0's format_text writes other control bytes in octal ("\031"), as tshark -V shows.
      default: out += '\\' + c.toString(8).padStart(3, '0'); break;
    }
  }
  return out;
}

const LABEL_ENC = new TextEncoder();
const LABEL_DEC = new TextDecoder();
/**
 * A label as proto.c stores it: at most ITEM_LABEL_LENGTH (240) bytes of UTF-8 with its NUL; a longer
 * one gets " [truncated]" in front (label_mark_truncated), is cut to the buffer and ends before the
 * character holding its next-to-last byte (g_utf8_prev_char(&label_str[ITEM_LABEL_LENGTH - 1])).
 */
export function itemLabel(text: string): string {
  if (text.length < 80) return text;
  const b = LABEL_ENC.encode(text);
  if (b.length < 240) return text;
  const out = new Uint8Array(240);
  out.set(LABEL_ENC.encode(' [truncated]'));
  out.set(b.subarray(0, 240 - 12), 12);
  let cut = 238;
  while (cut > 0 && (out[cut] & 0xc0) === 0x80) cut--;
  return LABEL_DEC.decode(out.subarray(0, cut));
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

/**
 * proto.c's detect_trailing_stray_characters for an ENC_ASCII item of `len` bytes: the string as
 * 4.0 decodes it (a byte above 0x7f becomes U+FFFD, three bytes of UTF-8) is read as a C string,
 * and any non-NUL byte after its end but within `len` bytes is stray.
 */
export function hasTrailingStray(tvb: Tvb, off: number, len: number): boolean {
  const b = tvb.bytesAt(off, len);
  const nul = b.indexOf(0);
  if (nul < 0) return false;
  let pos = 0;
  for (let i = 0; i < nul; i++) pos += b[i] < 0x80 ? 1 : 3;
  for (let i = nul; i < b.length && pos < len; i++) {
    if (b[i] !== 0) return true;
    pos += 1;
  }
  return false;
}

/** RFC 7230 tchar as packet-http.c's is_token_char spells it ("!#$%&\\:*+-.^_`|~" and alphanumerics). */
function isTokenChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) ||
    c === 0x21 || c === 0x23 || c === 0x24 || c === 0x25 || c === 0x26 || c === 0x5c || c === 0x3a ||
    c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x5e || c === 0x5f || c === 0x60 ||
    c === 0x7c || c === 0x7e;
}

/** process_header's name check: not empty, every byte a token character (no space before the colon). */
function validHeaderName(tvb: Tvb, off: number, len: number): boolean {
  if (len === 0) return false;
  const b = tvb.bytes, i = tvb.base + off;
  for (let k = 0; k < len; k++) if (!isTokenChar(b[i + k])) return false;
  return true;
}

/** g_ascii_isspace. */
const isAsciiSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * The generated http.content_length of a Content-Length value as process_header reads it with
 * g_ascii_strtoll: leading white space and a sign allowed, digits, then the end or white space
 * ("3 " is 3); negative, empty or out-of-range values give no item.
 */
function contentLengthOf(value: string): bigint | undefined {
  let i = 0;
  while (i < value.length && isAsciiSpace(value.charCodeAt(i))) i++;
  let neg = false;
  if (value[i] === '+' || value[i] === '-') { neg = value[i] === '-'; i++; }
  const start = i;
  while (i < value.length && value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39) i++;
  if (i === start) return undefined;
  if (i < value.length && !isAsciiSpace(value.charCodeAt(i))) return undefined;
  const n = BigInt(value.slice(start, i));
  if (n > 0x7fffffffffffffffn) return undefined;
  if (neg && n !== 0n) return undefined;
  return n;
}

/** Where a header value starts: after the colon and any spaces or tabs (packet-http.c keeps trailing ones). */
function valueStart(tvb: Tvb, colon: number, lineEnd: number): number {
  const b = tvb.bytes, base = tvb.base;
  let v = colon + 1;
  while (v < lineEnd && (b[base + v] === 0x20 || b[base + v] === 0x09)) v++;
  return v;
}

const enum Kind { NONE, REQUEST, RESPONSE }

/** Classifies a first line (Wireshark's is_http_request_or_reply, HTTP/1.x only). */
function classify(line: string): { kind: Kind; methodLen: number } {
  if (line.length >= 5 && line.startsWith('HTTP/')) return { kind: Kind.RESPONSE, methodLen: 0 };
  const sp = line.indexOf(' ');
  if (sp > 0 && METHODS.has(line.slice(0, sp))) return { kind: Kind.REQUEST, methodLen: sp };
  return { kind: Kind.NONE, methodLen: 0 };
}

/** A first line as the dissector uses it, worked out once per distinct line (see FIRST_LINES). */
interface FirstLine {
  /** The line without its end, latin1. */
  line: string;
  kind: Kind;
  methodLen: number;
  /** Request method and Request-URI as sent ('' on responses). */
  method: string;
  uri: string;
  /** Status code (statusOf) of a response, 0 otherwise. */
  status: number;
  /** The Info column text: Wireshark's format_text of the line and a space. */
  info: string;
}

function parseFirstLine(line: string): FirstLine {
  const { kind, methodLen } = classify(line);
  let uri = '';
  if (kind === Kind.REQUEST) {
    const uriEnd = line.indexOf(' ', methodLen + 1);
    uri = line.slice(methodLen + 1, uriEnd < 0 ? line.length : uriEnd);
  }
  return {
    line, kind, methodLen, uri,
    method: line.slice(0, methodLen),
    status: kind === Kind.RESPONSE ? statusOf(line) : 0,
    info: formatText(line) + ' ',
  };
}

/**
 * A direct-mapped memo from short byte strings to what was made of their latin1 text. Clients,
 * servers and load generators repeat the same first lines and header values message after message;
 * on a summary pass building those strings again (and classifying, slicing and escaping them) cost
 * more than the rest of the HTTP layer. A hit costs an FNV-1a hash and a byte compare; a miss or a
 * longer text makes the value as before. Values depend on the bytes alone, so one memo serves every
 * capture in the process.
 */
class ByteMemo<T> {
  private readonly keys: (Uint8Array | undefined)[];
  private readonly values: (T | undefined)[];
  constructor(private readonly bits: number, private readonly maxLen: number, private readonly make: (text: string) => T) {
    this.keys = new Array<Uint8Array | undefined>(1 << bits).fill(undefined);
    this.values = new Array<T | undefined>(1 << bits).fill(undefined);
  }
  /** The value for the `len` bytes at `off` of `tvb` (which must hold them). */
  get(tvb: Tvb, off: number, len: number): T {
    if (len > this.maxLen) return this.make(tvb.latin1(off, len));
    tvb.ensure(off, len);
    const b = tvb.bytes, i = tvb.base + off;
    let h = 0x811c9dc5;
    for (let k = 0; k < len; k++) h = Math.imul(h ^ b[i + k], 0x01000193);
    const slot = (h ^ (h >>> this.bits)) & ((1 << this.bits) - 1);
    const key = this.keys[slot];
    if (key !== undefined && key.length === len) {
      let k = 0;
      while (k < len && key[k] === b[i + k]) k++;
      if (k === len) return this.values[slot] as T;
    }
    const v = this.make(tvb.latin1(off, len));
    this.keys[slot] = b.slice(i, i + len);
    this.values[slot] = v;
    return v;
  }
}

const FIRST_LINES = new ByteMemo<FirstLine>(8, 256, parseFirstLine);
/** Values of the headers scanHeaders reads, already trimmed (same bytes, same string object). */
const HEADER_VALUES = new ByteMemo<string>(8, 128, (s) => s);

/**
 * Request/response matching of one TCP stream as packet-http.c 4.0 does it: a list of req_res entries;
 * a request pushes one, a response completes the newest entry or, when that already has a response,
 * pushes one without a request (so pipelined requests in one frame match only the last one, as tshark).
 */
class HttpConv {
  req: number[] = [];
  res: number[] = [];
  method: string[] = [];
  /** Full URI of the newest request (what tshark shows as a response's http.response_for.uri). */
  lastUri = '';
  /** Entry of the newest request (-1: none yet). */
  lastReq = -1;
  lastHost = '';
  /** Request-URI (as sent) of the newest request, for export file names. */
  lastPath = '';
  uri: string[] = [];
}

/** What the first pass decided per frame (the last message of the frame wins, as tshark -2 shows). */
interface MsgInfo { index: number; countThen: number; uri: string }

class HttpState {
  /** By TCP stream index (capture-wide, from 0; 8 bytes a stream): an array, as a summary pass looks one up per message. */
  readonly convs: (HttpConv | undefined)[] = [];
  /** Per frame: entry index + 1 (0: no HTTP message), the entry count then, the newest request then. */
  msgIndex = new Int32Array(1024);
  msgCount = new Int32Array(1024);
  msgLastReq = new Int32Array(1024);
  setMsg(num: number, index: number, count: number, lastReq: number): void {
    if (num >= this.msgIndex.length) {
      this.msgIndex = grow(this.msgIndex, num);
      this.msgCount = grow(this.msgCount, num);
      this.msgLastReq = grow(this.msgLastReq, num);
    }
    this.msgIndex[num] = index + 1;
    this.msgCount[num] = count;
    this.msgLastReq[num] = lastReq;
  }
  getMsg(num: number, conv: HttpConv): MsgInfo | undefined {
    if (num >= this.msgIndex.length || this.msgIndex[num] === 0) return undefined;
    const r = this.msgLastReq[num];
    return { index: this.msgIndex[num] - 1, countThen: this.msgCount[num], uri: r >= 0 ? conv.uri[r] : '' };
  }
  conv(stream: number): HttpConv {
    while (this.convs.length <= stream) this.convs.push(undefined);
    let c = this.convs[stream];
    if (c === undefined) this.convs[stream] = c = new HttpConv();
    return c;
  }
}

const newHttpState = (): HttpState => new HttpState();
function httpState(ctx: Ctx): HttpState {
  return ctx.capture.state('http', newHttpState);
}

/** The whole payload of one TCP segment of an HTTP stream, or a reassembled PDU. */
export function dissectHttp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  let off = 0;
  // Wireshark's dissect_http_tcp loop: several messages may share a segment (pipelining, keep-alive).
  while (off < tvb.length) {
    const used = dissectMessage(tvb, off, ctx, parent, off === 0);
    if (used <= 0) break;
    off += used;
  }
  return tvb.length;
}

const enum Enc { NONE, GZIP, DEFLATE, OTHER }

interface Headers {
  end: number;
  contentLength: number;
  chunked: boolean;
  encoding: string;
  contentType: string | undefined;
  host: string | undefined;
}

const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const H_HOST = asciiBytes('host'), H_CONTENT_TYPE = asciiBytes('content-type');
const H_CONTENT_LENGTH = asciiBytes('content-length'), H_CONTENT_ENCODING = asciiBytes('content-encoding');
const H_TRANSFER_ENCODING = asciiBytes('transfer-encoding');

/** True when the `name.length` bytes at `i` are `name` (lower case letters and '-') in any case. */
function nameIs(b: Uint8Array, i: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) {
    const c = b[i + k], n = name[k];
    if (c !== n && !(n >= 0x61 && (c | 0x20) === n)) return false;
  }
  return true;
}

/** String.prototype.trim's white space among latin1 bytes (TAB LF VT FF CR SP NBSP). */
const isTrimmed = (c: number): boolean => (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0;

/** Finds the end of the header block and the headers that delimit the body; end -1: not all here. */
function scanHeaders(tvb: Tvb, start: number): Headers {
  const h: Headers = { end: -1, contentLength: -1, chunked: false, encoding: '', contentType: undefined, host: undefined };
  // Header names are matched on the bytes, and the lines walked by hand (a TypedArray indexOf call per
  // line end and colon cost more than the loop); only the five headers that delimit or describe the
  // body have their value decoded, through HEADER_VALUES.
  const b = tvb.bytes, base = tvb.base, end = base + tvb.length;
  let i = base + start;
  while (i < end) {
    const ls = i;
    let colon = -1;
    while (i < end) {
      const c = b[i];
      if (c === 0x0a) break;
      if (c === 0x3a && colon < 0) colon = i;
      i++;
    }
    if (i === end) return h;
    const le = i > ls && b[i - 1] === 0x0d ? i - 1 : i;
    i++;
    if (le === ls) { h.end = i - base; return h; }
    const nlen = colon - ls;
    if (colon > ls && (nlen === 4 || nlen === 12 || nlen === 14 || nlen === 16 || nlen === 17)) {
      const which = nlen === 4 ? (nameIs(b, ls, H_HOST) ? H_HOST : null)
        : nlen === 12 ? (nameIs(b, ls, H_CONTENT_TYPE) ? H_CONTENT_TYPE : null)
          : nlen === 14 ? (nameIs(b, ls, H_CONTENT_LENGTH) ? H_CONTENT_LENGTH : null)
            : nlen === 16 ? (nameIs(b, ls, H_CONTENT_ENCODING) ? H_CONTENT_ENCODING : null)
              : nameIs(b, ls, H_TRANSFER_ENCODING) ? H_TRANSFER_ENCODING : null;
      if (which !== null) {
        let vs = colon + 1, ve = le;
        while (vs < ve && isTrimmed(b[vs])) vs++;
        while (ve > vs && isTrimmed(b[ve - 1])) ve--;
        if (which === H_CONTENT_LENGTH) {
          const n = decimalValue(tvb, vs - base, ve - vs);
          if (n >= 0) h.contentLength = n;
        } else {
          const value = HEADER_VALUES.get(tvb, vs - base, ve - vs);
          if (which === H_TRANSFER_ENCODING) { if (/chunked/i.test(value)) h.chunked = true; }
          else if (which === H_CONTENT_ENCODING) h.encoding = value.toLowerCase();
          else if (which === H_CONTENT_TYPE) h.contentType = value;
          else h.host = value;
        }
      }
    }
  }
  return h;
}

/**
 * A Content-Length value as /^\d+$/ and Number() read it: -1 unless every byte is a digit. Past 15
 * digits the double is rounded, so those go through Number() itself.
 */
function decimalValue(tvb: Tvb, off: number, len: number): number {
  if (len === 0) return -1;
  const b = tvb.bytes, i = tvb.base + off;
  let v = 0;
  for (let k = 0; k < len; k++) {
    const d = b[i + k] - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return len <= 15 ? v : Number(tvb.latin1(off, len));
}

/** Length of a chunked body starting at `off` (through the last chunk and trailers), or -1 if cut. */
function chunkedLength(tvb: Tvb, off: number): number {
  let p = off;
  for (;;) {
    const le = tvb.findLineEnd(p);
    if (le.next < 0) return -1;
    const size = parseInt(tvb.latin1(p, le.lineLen).split(';')[0].trim(), 16);
    if (Number.isNaN(size)) return tvb.length - off;
    p = le.next;
    if (size === 0) {
      // Trailer fields up to the empty line (RFC 9112 §7.1.2).
      for (;;) {
        const t = tvb.findLineEnd(p);
        if (t.next < 0) return -1;
        p = t.next;
        if (t.lineLen === 0) return p - off;
      }
    }
    if (p + size + 2 > tvb.length) return -1;
    p += size;
    const end = tvb.findLineEnd(p);
    if (end.next < 0) return -1;
    p = end.next;
  }
}

/** Asks TCP for more bytes for the message starting at `off` (false when TCP cannot give any). */
function needMore(ctx: Ctx, off: number, len: number): boolean {
  const { pinfo } = ctx;
  if (!pinfo.canDesegment) return false;
  pinfo.desegmentOffset = off;
  pinfo.desegmentLen = len;
  return true;
}

/** The status code of a status line as /^\S+ (\d{3})/ finds it, 0 if none (no regex per response). */
function statusOf(line: string): number {
  let sp = 0;
  while (sp < line.length) {
    const c = line.charCodeAt(sp);
    if (c === 0x20) break;
    // \S: not whitespace (space, \t \n \v \f \r, NBSP; a status line holds no other).
    if (c === 0x09 || (c >= 0x0a && c <= 0x0d) || c === 0xa0) return 0;
    sp++;
  }
  if (sp === 0 || sp + 3 >= line.length) return 0;
  let v = 0;
  for (let k = 1; k <= 3; k++) {
    const d = line.charCodeAt(sp + k) - 0x30;
    if (!(d >= 0 && d <= 9)) return 0;
    v = v * 10 + d;
  }
  return v;
}

/** Offset of the first LF at or after `off`, or -1. */
function lineFeed(tvb: Tvb, off: number): number {
  // First lines are short: a loop finds their end sooner than a TypedArray indexOf call, which wins
  // only on long runs without one (a body segment seen without reassembly).
  const b = tvb.bytes, base = tvb.base, end = base + tvb.length;
  const stop = Math.min(end, base + off + 128);
  let i = base + off;
  for (; i < stop; i++) if (b[i] === 0x0a) return i - base;
  return i < end ? tvb.find(0x0a, i - base) : -1;
}

/** The full request URI as packet-http.c builds it, the last one kept (a stream repeats its URIs). */
let lastFullHost: string | undefined, lastFullPath = '', lastFullUri = '';
function fullUriOf(host: string | undefined, uri: string): string {
  if (host === undefined) return uri;
  if (host !== lastFullHost || uri !== lastFullPath) {
    lastFullHost = host;
    lastFullPath = uri;
    lastFullUri = uri.startsWith('/') ? `http://${host}${uri}` : uri;
  }
  return lastFullUri;
}

/** Request/response matching on the first pass (see HttpConv): the entry this message belongs to. */
function noteMessage(hs: HttpState, conv: HttpConv, num: number, fl: FirstLine, host: string | undefined): void {
  if (fl.kind === Kind.REQUEST) {
    const fullUri = fullUriOf(host, fl.uri);
    conv.req.push(num); conv.res.push(0); conv.method.push(fl.method); conv.uri.push(fullUri);
    conv.lastUri = fullUri;
    conv.lastReq = conv.req.length - 1;
    conv.lastHost = host ?? '';
    conv.lastPath = fl.uri;
  } else if (conv.req.length === 0 || conv.res[conv.req.length - 1] !== 0) {
    conv.req.push(0); conv.res.push(num); conv.method.push(''); conv.uri.push('');
  } else {
    conv.res[conv.req.length - 1] = num;
  }
  hs.setMsg(num, conv.req.length - 1, conv.req.length, conv.lastReq);
}

/**
 * The end of the line at `off` as tvb_find_line_end finds it without desegmentation: CR, LF or CRLF;
 * a line with none runs to the end of the buffer (`next` is then the buffer's length, `ended` false).
 * Sets LINE and returns the offset of the first ':' in the line, or -1.
 */
const LINE = { len: 0, next: 0, ended: false };
function lineAt(tvb: Tvb, off: number): number {
  const b = tvb.bytes, base = tvb.base, end = base + tvb.length;
  let i = base + off, colon = -1;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0x0a || c === 0x0d) break;
    if (c === 0x3a && colon < 0) colon = i - base;
  }
  LINE.len = i - base - off;
  LINE.ended = i < end;
  LINE.next = i === end ? tvb.length : b[i] === 0x0d && i + 1 < end && b[i + 1] === 0x0a ? i + 2 - base : i + 1 - base;
  return colon;
}

/**
 * A segment that does not start a message, as dissect_http_message reads it (packet-http.c 4.0): a
 * first byte that is not printable ASCII makes it all data. Otherwise its lines are read as header
 * lines while they hold a ':' (a continuation of a binary body often does, by chance: tshark then
 * warns "Illegal characters found in header name"); the first line without one ends the headers, and
 * when a header line came before it and it has no line end, reading past it is the exception tshark
 * shows ("[BoundErrorUnreassembled Packet]" on a segment TCP did not reassemble). What follows is the
 * body: file data, then the data (or media) dissector.
 */
function dissectContinuation(tvb: Tvb, ctx: Ctx, parent: Item, top: Item): number {
  const { tree } = ctx;
  const b0 = tvb.bytes[tvb.base];
  if (!(b0 >= 0x20 && b0 < 0x7f)) {
    dissectData(tvb, ctx, top);
    return tvb.length;
  }
  let off = 0, saw = false, contentLength = -1;
  let contentType: string | undefined;
  while (off < tvb.length) {
    const colon = lineAt(tvb, off);
    const { len, next } = LINE;
    if (len === 0) {
      addText(ctx, top, tvb, off, next - off, tree.full ? formatText(tvb.latin1(off, next - off)) : '');
      off = next;
      break;
    }
    if (colon < 0) {
      // tvb_ensure_bytes_exist(tvb, offset, linelen + 1): an unfinished line after a header line.
      if (saw) tvb.ensure(off, len + 1);
      break;
    }
    // A request or status line after header lines would start a message of its own in tshark; here
    // the continuation ends and the rest is body (not seen in the lab's or the corpus's captures).
    if (saw && classify(tvb.latin1(off, len)).kind !== Kind.NONE) break;
    saw = true;
    const lineLen = next - off;
    if (!validHeaderName(tvb, off, colon - off)) {
      const it = tree.add(top, hf_http.unknown_header, tvb, off, lineLen, asciiValue(tvb, off, lineLen));
      if (tree.full) tree.setText(it, itemLabel(formatText(tvb.utf8(off, lineLen))));
      if (hasTrailingStray(tvb, off, lineLen)) addExpert(ctx, it, tvb, off, lineLen, ei_string_trailing_characters);
      addExpert(ctx, it, tvb, off, lineLen, ei_http_bad_header_name);
    } else {
      const field = HEADER_FIELDS.get(tvb.latin1(off, colon - off).toLowerCase());
      if (field === undefined) {
        // No request or status line before it: an unknown header is http.unknown_header, its value the
        // formatted line.
        const text = formatText(tvb.latin1(off, lineLen));
        const it = tree.add(top, hf_http.unknown_header, tvb, off, lineLen, text);
        if (tree.full) tree.setText(it, itemLabel(text));
      } else {
        const vs = valueStart(tvb, colon, off + len);
        const value = asciiValue(tvb, vs, off + len - vs);
        const it = tree.add(top, field, tvb, off, lineLen, value);
        if (tree.full) tree.setText(it, itemLabel(formatText(tvb.latin1(off, lineLen))));
        if (field === hf_http.content_type) contentType = value;
        else if (field === hf_http.content_length_header) {
          const n = contentLengthOf(value);
          if (n !== undefined) {
            tree.add(it, hf_http.content_length, tvb, off, lineLen, n, ItemFlags.GENERATED);
            contentLength = n > BigInt(tvb.length) ? tvb.length : Number(n);
          }
        }
      }
    }
    off = next;
  }
  const rest = tvb.length - off;
  const bodyLen = contentLength >= 0 ? Math.min(contentLength, rest) : rest;
  if (bodyLen > 0) {
    const body = tvb.sub(off, bodyLen);
    addFileData(ctx, top, body, 0, bodyLen);
    if (contentType === undefined) dissectData(body, ctx, top);
    else dissectBody(body, ctx, parent, contentType);
  }
  return off + bodyLen;
}

function dissectMessage(whole: Tvb, start: number, ctx: Ctx, parent: Item, first: boolean): number {
  const { pinfo, tree } = ctx;
  const tvb = start === 0 ? whole : whole.sub(start);
  const lf = lineFeed(tvb, 0);
  let fl: FirstLine | undefined;
  if (lf >= 0) fl = FIRST_LINES.get(tvb, 0, lf > 0 && tvb.bytes[tvb.base + lf - 1] === 0x0d ? lf - 1 : lf);
  else if (classify(tvb.latin1(0, tvb.length) + ' ').kind !== Kind.NONE && needMore(ctx, start, DESEGMENT_ONE_MORE_SEGMENT)) return -1;
  if (first && pinfo.columns) pinfo.protocol = 'HTTP';

  if (fl === undefined || fl.kind === Kind.NONE) {
    if (first) pinfo.enter('http', 'HTTP');
    const top = tree.add(parent, proto_http, tvb, 0, -1, null);
    // Not the start of a message: a body's later segment when TCP does not reassemble (packet-http.c
    // sets "Continuation" and hands the bytes to the body dissector as file data).
    if (pinfo.columns && first) pinfo.setInfo('Continuation');
    return dissectContinuation(tvb, ctx, parent, top);
  }
  const { kind, methodLen, line: firstLine } = fl;
  const lineNext = lf + 1;

  if (pinfo.columns) {
    if (first) pinfo.setInfo(fl.info);
    else pinfo.appendInfo(fl.info);
  }

  // How long is the message? (RFC 9112 §6.3; packet-http.c req_resp_hdrs_do_reassembly.)
  const h = scanHeaders(tvb, lineNext);
  if (h.end < 0 && needMore(ctx, start, DESEGMENT_ONE_MORE_SEGMENT)) return -1;
  const hs = httpState(ctx);
  const conv = pinfo.tcpStream >= 0 ? hs.conv(pinfo.tcpStream) : undefined;
  const status = fl.status;
  // HEAD: the method of the request this response will be matched with (the newest one).
  const tail = conv !== undefined ? conv.req.length - 1 : -1;
  const reqMethod = kind === Kind.RESPONSE && conv !== undefined && tail >= 0 && conv.res[tail] === 0 ? conv.method[tail] : '';
  let bodyLen = 0;
  if (h.end >= 0) {
    const rest = tvb.length - h.end;
    const noBody = kind === Kind.RESPONSE && ((status >= 100 && status < 200) || status === 204 || status === 304 || reqMethod === 'HEAD');
    if (noBody) bodyLen = 0;
    else if (h.chunked) {
      const n = chunkedLength(tvb, h.end);
      if (n < 0) {
        if (needMore(ctx, start, DESEGMENT_ONE_MORE_SEGMENT)) return -1;
        bodyLen = rest;
      } else bodyLen = n;
    } else if (h.contentLength >= 0) {
      if (h.contentLength > rest && needMore(ctx, start, h.contentLength - rest)) return -1;
      bodyLen = Math.min(h.contentLength, rest);
    } else if (kind === Kind.RESPONSE) {
      // Delimited by the connection close: ask for everything up to the FIN.
      if (needMore(ctx, start, DESEGMENT_UNTIL_FIN)) return -1;
      bodyLen = rest;
    }
  }
  // The layer counts (frame.protocols) only once the message is whole, as in tshark.
  if (first) pinfo.enter('http', 'HTTP');

  // A filter pass that reads nothing of HTTP's (tcp.port == 85) takes the summary pass's way too.
  if (!tree.wantsAny(MESSAGE_ITEMS)) {
    // A summary pass: no item, only the state later messages and revisits need, and the Info text.
    if (conv !== undefined && !pinfo.visited) noteMessage(hs, conv, pinfo.num, fl, h.host);
    if (h.end < 0) return tvb.length;
    if (bodyLen > 0) messageBody(tvb, h, bodyLen, kind, ctx, parent, NO_ITEM, conv);
    return h.end + bodyLen;
  }

  const top = tree.add(parent, proto_http, tvb, 0, -1, null);
  const lineField = kind === Kind.REQUEST ? hf_http.request_line : hf_http.response_line;
  const lineItem = addText(ctx, top, tvb, 0, lineNext, tree.full ? itemLabel(formatText(tvb.latin1(0, lineNext))) : '');
  // packet-http.c: every request and status line is also a Chat expert item (ei_http_chat). Its text
  // is only made when something shows it (a filter pass over a large file mostly does not).
  if (tree.wantsAny(CHAT_ITEMS)) {
    const chatText = tree.full || tree.wants(hf_expert.message) ? formatText(tvb.latin1(0, lineNext)) : '';
    addExpert(ctx, lineItem, tvb, 0, lineNext, ei_http_chat, chatText);
  }
  if (kind === Kind.REQUEST) dissectRequestLine(tvb, ctx, lineItem, firstLine, methodLen);
  else dissectStatusLine(tvb, ctx, lineItem, firstLine);

  // Passes that want no header item (filters on other fields) jump to the end of the header block:
  // decoding every header line to strings cost more than the rest of the packet.
  const skipHeaders = !tree.wantsAny(HEADER_ITEMS);
  let off = skipHeaders && h.end >= 0 ? h.end : lineNext;
  while (off < tvb.length && !(skipHeaders && off === h.end)) {
    const le = tvb.findLineEnd(off);
    if (le.next < 0) break;
    if (le.lineLen === 0) {
      addText(ctx, top, tvb, off, le.next - off, formatText(tvb.latin1(off, le.next - off)));
      off = le.next;
      break;
    }
    const lineWithEnd = asciiValue(tvb, off, le.next - off);
    const colon = tvb.find(0x3a, off, le.lineLen);
    const badName = colon >= 0 && !validHeaderName(tvb, off, colon - off);
    const name = colon > off && !badName ? tvb.latin1(off, colon - off).toLowerCase() : '';
    const field = name !== '' ? HEADER_FIELDS.get(name) : undefined;
    const label = tree.full ? itemLabel(formatText(tvb.latin1(off, le.next - off))) : '';
    if (field !== undefined) {
      // packet-http.c's value: from after the colon and its spaces/tabs to the line end, trailing
      // white space kept (tshark 4.0 prints http.host "other.test  ").
      const vs = valueStart(tvb, colon, off + le.lineLen);
      const value = asciiValue(tvb, vs, off + le.lineLen - vs);
      const it = tree.add(top, field, tvb, off, le.next - off, value);
      if (tree.full) tree.setText(it, label);
      if (field === hf_http.content_length_header) {
        const n = contentLengthOf(value);
        if (n !== undefined) tree.add(it, hf_http.content_length, tvb, off, le.next - off, n, ItemFlags.GENERATED);
      }
      // Every header line is also a hidden http.request.line / http.response.line (packet-http.c).
      tree.add(top, lineField, tvb, off, le.next - off, lineWithEnd, ItemFlags.HIDDEN);
    } else {
      const it = tree.add(top, lineField, tvb, off, le.next - off, lineWithEnd);
      if (tree.full) tree.setText(it, label);
      // process_header adds the line as an ENC_ASCII item (proto.c warns of bytes after a NUL); a name
      // with other than token characters also gets "Illegal characters found in header name".
      if (hasTrailingStray(tvb, off, le.next - off)) addExpert(ctx, it, tvb, off, le.next - off, ei_string_trailing_characters);
      if (badName) addExpert(ctx, it, tvb, off, le.next - off, ei_http_bad_header_name);
    }
    off = le.next;
  }

  tree.add(top, kind === Kind.REQUEST ? hf_http.request : hf_http.response, tvb, 0, 0, true, ItemFlags.HIDDEN);
  const G = ItemFlags.GENERATED;
  const matched = tree.wantsAny(MATCH_ITEMS);
  if (kind === Kind.REQUEST && h.host !== undefined && tree.wants(hf_http.request_full_uri)) {
    const fullUri = fullUriOf(h.host, fl.uri);
    const it = tree.add(top, hf_http.request_full_uri, tvb, 0, 0, fullUri, G);
    if (tree.full) tree.setText(it, `[Full request URI: ${fullUri}]`);
  }
  // Request/response matching: decided on the first pass, read back on revisits.
  if (conv !== undefined) {
    let info: MsgInfo | undefined;
    if (!pinfo.visited) {
      noteMessage(hs, conv, pinfo.num, fl, h.host);
      if (matched) info = { index: conv.req.length - 1, countThen: conv.req.length, uri: conv.lastUri };
    } else if (matched) {
      info = hs.getMsg(pinfo.num, conv);
    }
    if (info !== undefined) {
      const gen = (field: typeof hf_http.request_in, value: number, label: string) => {
        const it = tree.add(top, field, tvb, 0, 0, value, G);
        if (tree.full) tree.setText(it, `[${label}: ${value}]`);
      };
      const i = info.index, n = i + 1;
      const total = pinfo.visited ? conv.req.length : info.countThen;
      const relNs = ctx.capture.relNs;
      if (kind === Kind.REQUEST) {
        const it = tree.add(top, hf_http.request_number, tvb, 0, 0, n, G);
        if (tree.full) tree.setText(it, `[HTTP request ${n}/${total}]`);
        if (i > 0 && conv.req[i - 1]) gen(hf_http.prev_request_in, conv.req[i - 1], 'Prev request in frame');
        if (pinfo.visited) {
          if (conv.res[i]) gen(hf_http.response_in, conv.res[i], 'Response in frame');
          if (i + 1 < conv.req.length && conv.req[i + 1]) gen(hf_http.next_request_in, conv.req[i + 1], 'Next request in frame');
        }
      } else {
        const it = tree.add(top, hf_http.response_number, tvb, 0, 0, n, G);
        if (tree.full) tree.setText(it, `[HTTP response ${n}/${total}]`);
        if (conv.req[i]) tree.add(top, hf_http.time, tvb, 0, 0, relNs[pinfo.num] - relNs[conv.req[i]], G);
        if (i > 0) {
          if (conv.req[i - 1]) gen(hf_http.prev_request_in, conv.req[i - 1], 'Prev request in frame');
          if (conv.res[i - 1]) gen(hf_http.prev_response_in, conv.res[i - 1], 'Prev response in frame');
        }
        if (conv.req[i]) gen(hf_http.request_in, conv.req[i], 'Request in frame');
        if (pinfo.visited && i + 1 < conv.req.length) {
          if (conv.req[i + 1]) gen(hf_http.next_request_in, conv.req[i + 1], 'Next request in frame');
          if (conv.res[i + 1]) gen(hf_http.next_response_in, conv.res[i + 1], 'Next response in frame');
        }
        if (info.uri !== '') {
          const ru = tree.add(top, hf_http.response_for_uri, tvb, 0, 0, info.uri, G);
          if (tree.full) tree.setText(ru, `[Request URI: ${info.uri}]`);
        }
      }
    }
  }

  if (h.end < 0) {
    tree.setLength(top, off);
    return tvb.length;
  }
  if (bodyLen > 0) messageBody(tvb, h, bodyLen, kind, ctx, parent, top, conv);
  const used = h.end + bodyLen;
  tree.setLength(top, used);
  return used;
}

/**
 * A message's body. The usual one, text sent as it is, adds only its layer and Info suffix when none of
 * its items is recorded (summary passes, filters on other fields); others go to dissectEntity.
 */
function messageBody(tvb: Tvb, h: Headers, bodyLen: number, kind: Kind, ctx: Ctx, parent: Item, top: Item, conv: HttpConv | undefined): void {
  const { pinfo, tree } = ctx;
  if (!tree.wantsAny(BODY_ITEMS)) {
    const media = h.contentType !== undefined && !h.chunked && h.encoding === '' && taps.httpObject.size === 0 ? mediaTypeOf(h.contentType) : undefined;
    if (media !== undefined && media.text) {
      pinfo.enter('data-text-lines', 'Line-based text data');
      if (pinfo.columns) pinfo.appendInfo(media.info);
      return;
    }
  }
  dissectEntity(tvb, h, bodyLen, kind, ctx, parent, top, conv);
}

/** The entity body: de-chunked, decoded, handed to the taps and to the body dissector by media type. */
function dissectEntity(tvb: Tvb, h: Headers, bodyLen: number, kind: Kind, ctx: Ctx, parent: Item, top: Item, conv: HttpConv | undefined): void {
  const { pinfo } = ctx;
  let body = tvb.sub(h.end, bodyLen);
  if (h.chunked) {
    const de = dechunk(body, ctx, top);
    if (de !== null) body = de;
  }
  const enc = h.encoding === 'gzip' || h.encoding === 'x-gzip' ? Enc.GZIP : h.encoding === 'deflate' ? Enc.DEFLATE : h.encoding === '' || h.encoding === 'identity' ? Enc.NONE : Enc.OTHER;
  if (enc === Enc.GZIP || enc === Enc.DEFLATE) {
    const dec = decompress(body, ctx, top, h.encoding, enc);
    if (dec !== null) body = dec;
  }
  if (kind === Kind.RESPONSE && !pinfo.visited && taps.httpObject.size > 0) {
    const t = { frame: pinfo.num, stream: pinfo.tcpStream, host: conv?.lastHost ?? '', uri: conv?.lastPath ?? '', contentType: h.contentType ?? '', body: body.bytesAt(0, body.length) };
    for (const fn of taps.httpObject) fn(t);
  }
  if (body.length > 0) {
    addFileData(ctx, top, body, 0, body.length);
    dissectBody(body, ctx, parent, h.contentType);
  }
}

/** "HTTP chunked response" (packet-http.c chunked_encoding_dissector) and the de-chunked body. */
function dechunk(tvb: Tvb, ctx: Ctx, top: Item): Tvb | null {
  const { tree } = ctx;
  const parts: Uint8Array[] = [];
  const ct = addText(ctx, top, tvb, 0, tvb.length, 'HTTP chunked response');
  let p = 0, total = 0;
  while (p < tvb.length) {
    const le = tvb.findLineEnd(p);
    if (le.next < 0) break;
    const size = parseInt(tvb.latin1(p, le.lineLen).split(';')[0].trim(), 16);
    if (Number.isNaN(size)) break;
    if (size === 0) {
      const end = addText(ctx, ct, tvb, p, le.next - p, 'End of chunked encoding');
      const sz = tree.add(end, hf_http.chunk_size, tvb, p, le.next - p, 0);
      if (tree.full) tree.setText(sz, 'Chunk size: 0 octets');
      p = le.next;
      const t = tvb.findLineEnd(p);
      if (t.next >= 0 && t.lineLen === 0) addText(ctx, ct, tvb, p, t.next - p, formatText(tvb.latin1(p, t.next - p)));
      break;
    }
    const avail = Math.min(size, tvb.remaining(le.next));
    const ch = addText(ctx, ct, tvb, p, le.next - p + avail + 2, `Data chunk (${size} octets)`);
    const sz = tree.add(ch, hf_http.chunk_size, tvb, p, le.next - p, size);
    if (tree.full) tree.setText(sz, `Chunk size: ${size} octets`);
    tree.add(ch, hf_http.chunk_data, tvb, le.next, avail, tvb.bytesAt(le.next, avail));
    parts.push(tvb.bytesAt(le.next, avail));
    total += avail;
    p = le.next + avail;
    const b = tvb.findLineEnd(p);
    if (b.next < 0) break;
    tree.add(ch, hf_http.chunk_boundary, tvb, p, b.next - p, tvb.bytesAt(p, b.next - p));
    p = b.next;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) { out.set(part, o); o += part.length; }
  const src = tree.addSource(`De-chunked entity body (${total} bytes)`, out);
  return new TvbClass(out, src, 0, total, total);
}

/** Content-Encoding gzip / deflate (RFC 9110 §8.4.1), decoded with fflate into its own data source. */
function decompress(tvb: Tvb, ctx: Ctx, top: Item, name: string, enc: Enc): Tvb | null {
  const { tree } = ctx;
  const input = tvb.bytesAt(0, tvb.length);
  let out: Uint8Array;
  try {
    if (enc === Enc.GZIP) out = gunzipSync(input);
    else {
      // "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate.
      try { out = unzlibSync(input); } catch { out = inflateSync(input); }
    }
  } catch {
    const it = tree.add(top, hf_http.decompression_failed, tvb, 0, tvb.length, null, ItemFlags.EXPERT);
    if (tree.full) tree.setText(it, '[Expert Info (Warning/Undecoded): Decompression failed]');
    return null;
  }
  addText(ctx, top, tvb, 0, tvb.length, `Content-encoded entity body (${name}): ${tvb.length} bytes -> ${out.length} bytes`);
  const src = tree.addSource(`Uncompressed entity body (${out.length} bytes)`, out);
  return new TvbClass(out, src, 0, out.length, out.length);
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
  // Strings are cut from the line only for the items a pass records (a filter on the code wants none).
  if (tree.wants(hf_http.response_version)) tree.add(parent, hf_http.response_version, tvb, 0, verEnd, line.slice(0, verEnd));
  if (sp < 0) return;
  let code = 0;
  for (let i = sp + 1; i < sp + 4; i++) {
    const c = i < line.length ? line.charCodeAt(i) - 48 : -1;
    if (c < 0 || c > 9) return;
    code = code * 10 + c;
  }
  tree.add(parent, hf_http.response_code, tvb, sp + 1, 3, code);
  tree.add(parent, hf_http.response_code_desc, tvb, sp + 1, 3, HTTP_STATUS[code] ?? 'Unknown', ItemFlags.GENERATED);
  const phraseStart = sp + 5;
  if (phraseStart <= line.length && tree.wants(hf_http.response_phrase)) {
    tree.add(parent, hf_http.response_phrase, tvb, phraseStart, line.length - phraseStart, line.slice(phraseStart));
  }
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

/** A Content-Type value's media type (lower case, parameters dropped) and how the body goes on. */
interface MediaType { type: string; text: boolean; info: string }
/** Media types by Content-Type value: a stream repeats one value, so it is worked out once. */
const MEDIA_TYPES = new Map<string, MediaType>();
function mediaTypeOf(contentType: string): MediaType {
  let m = MEDIA_TYPES.get(contentType);
  if (m === undefined) {
    const type = contentType.split(';')[0].trim().toLowerCase();
    m = { type, text: isTextMedia(type), info: ` (${type})` };
    // Bounded: a capture with ever new values (boundaries, charsets) starts over now and then.
    if (MEDIA_TYPES.size >= 256) MEDIA_TYPES.clear();
    MEDIA_TYPES.set(contentType, m);
  }
  return m;
}

/** The body by media type: text as lines, PNG/JPEG/GIF as images, anything else as "Media Type". */
function dissectBody(tvb: Tvb, ctx: Ctx, parent: Item, contentType: string | undefined): void {
  const { pinfo, tree } = ctx;
  const media = contentType === undefined ? undefined : mediaTypeOf(contentType);
  if (media === undefined || media.type === '') {
    dissectData(tvb, ctx, parent);
    return;
  }
  const type = media.type;
  if (type === 'image/png' && isPng(tvb)) { dissectPng(tvb, ctx, parent); return; }
  if ((type === 'image/jpeg' || type === 'image/jpg' || type === 'image/pjpeg') && isJpeg(tvb)) { dissectJpeg(tvb, ctx, parent); return; }
  if (type === 'image/gif' && isGif(tvb)) { dissectGif(tvb, ctx, parent); return; }
  // Wireshark 4.0 registers the data dissector for application/octet-stream in the media_type table:
  // the body is top-level Data and the Info gets no media type.
  if (type === 'application/octet-stream') { dissectData(tvb, ctx, parent); return; }
  if (media.text) {
    pinfo.enter('data-text-lines', 'Line-based text data');
    if (pinfo.columns) pinfo.appendInfo(media.info);
    const top = tree.add(parent, proto_text_lines, tvb, 0, tvb.length, null);
    // The lines are text items: only a full tree shows them.
    if (!tree.full) return;
    let off = 0, lines = 0;
    while (off < tvb.length) {
      const le = tvb.findLineEnd(off);
      const end = le.next < 0 ? tvb.length : le.next;
      // packet-text-media.c shows the lines as UTF-8 (the lab page is Chinese).
      addText(ctx, top, tvb, off, end - off, formatText(tvb.utf8(off, end - off)));
      lines++;
      off = end;
    }
    if (tree.full) tree.setText(top, `Line-based text data: ${type} (${lines} lines)`);
    return;
  }
  pinfo.enter('media', 'Media');
  if (pinfo.columns) pinfo.appendInfo(media.info);
  const top = tree.add(parent, proto_media, tvb, 0, tvb.length, null);
  if (tree.full) tree.setText(top, `Media Type`);
  if (tree.wants(hf_media.type)) tree.add(top, hf_media.type, tvb, 0, tvb.length, tvb.bytesAt(0, tvb.length));
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
