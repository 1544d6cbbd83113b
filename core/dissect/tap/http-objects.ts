// Export HTTP objects (Wireshark's export_object http / tshark --export-objects http,DIR): every HTTP
// body, de-chunked and decoded, with its frame, host, content type, size and the file name tshark
// gives it (the last part of the request path, "%2f" for "/", "name(1)" for repeats).
import { taps, type HttpObjectTap } from './taps.js';

export interface HttpObject {
  frame: number;
  host: string;
  contentType: string;
  size: number;
  filename: string;
  data: Uint8Array;
}

/** tshark's file name for an object: the path's last component, escaped; "/" alone is "%2f". */
export function objectFileName(uri: string): string {
  let path = uri.replace(/^[a-z]+:\/\/[^/]*/i, '');
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  const slash = path.lastIndexOf('/');
  let name = slash >= 0 ? path.slice(slash + 1) : path;
  if (name === '') name = path === '' ? uri : path;
  let out = '';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || '/\\:*?"<>|'.includes(ch) ? '%' + c.toString(16).padStart(2, '0') : ch;
  }
  return out;
}

export class HttpObjectCollector {
  readonly objects: HttpObject[] = [];
  private readonly used = new Map<string, number>();
  private readonly tap = (t: HttpObjectTap) => this.onObject(t);

  attach(): this {
    taps.httpObject.add(this.tap);
    return this;
  }
  detach(): HttpObject[] {
    taps.httpObject.delete(this.tap);
    return this.objects;
  }

  onObject(t: HttpObjectTap): void {
    const base = objectFileName(t.uri);
    const n = this.used.get(base) ?? 0;
    this.used.set(base, n + 1);
    const filename = n === 0 ? base : `${base}(${n})`;
    this.objects.push({ frame: t.frame, host: t.host, contentType: t.contentType, size: t.body.length, filename, data: t.body.slice() });
  }
}
