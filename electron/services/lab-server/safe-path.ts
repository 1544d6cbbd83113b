// Turns a raw HTTP request target into a path inside the document root, or a refusal. Decoding
// happens exactly once (the double decoding of Apache 2.4.49/50, CVE-2021-41773 and CVE-2021-42013,
// is what let "%%32%65" and ".%2e" through), and every check runs on the decoded segments. Windows
// separators, drive letters, NTFS streams and device names are refused on every platform, so a site
// folder behaves the same wherever it is served. Symlinks are checked later, against the real root.

export type SafePath =
  | { ok: true; path: string; trailingSlash: boolean }
  | { ok: false; status: 400 | 403 | 404; reason: string };

// CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension or trailing dots/spaces ("nul.txt", "con.").
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuse(status: 400 | 403 | 404, reason: string): SafePath {
  return { ok: false, status, reason };
}

export function safePath(target: string, opts: { dotfiles: boolean } = { dotfiles: false }): SafePath {
  let t = target;
  // RFC 9112 §3.2.2: a server must accept the absolute form ("GET http://host/path HTTP/1.1").
  const abs = /^https?:\/\/[^/?#]*/i.exec(t);
  if (abs !== null) t = t.slice(abs[0].length) || '/';
  if (!t.startsWith('/')) return refuse(400, 'request target is not an absolute path');
  const q = t.search(/[?#]/);
  if (q >= 0) t = t.slice(0, q);
  if (t.includes('\\')) return refuse(400, 'backslash in path');
  let decoded: string;
  try {
    decoded = decodeURIComponent(t);
  } catch {
    return refuse(400, 'malformed percent-encoding or UTF-8 in path');
  }
  if (CONTROL.test(decoded)) return refuse(400, 'NUL or control character in path');
  if (decoded.includes('\\')) return refuse(400, 'encoded backslash in path');
  if (decoded.includes(':')) return refuse(400, 'colon in path (drive letter or NTFS stream)');
  const segs: string[] = [];
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return refuse(403, 'parent directory segment');
    const bare = seg.replace(/[. ]+$/, '');
    if (DEVICE.test(bare) || DEVICE.test(seg)) return refuse(400, 'Windows device name in path');
    if (seg.startsWith('.') && !opts.dotfiles) return refuse(404, 'dotfile');
    if (bare === '' ) return refuse(404, 'segment of only dots or spaces');
    segs.push(seg);
  }
  const trailingSlash = decoded.endsWith('/');
  return { ok: true, path: '/' + segs.join('/') + (trailingSlash && segs.length > 0 ? '/' : ''), trailingSlash };
}
