// Nothing outside the document root can be read, whatever the request target. Every target is sent
// byte for byte over a raw TCP socket (curl and browsers would normalise "..", "%2e" and "\"), to the
// real `netlab serve`, with a secret file next to the root and symlinks pointing at it. Sources of the
// payloads: Apache CVE-2021-41773 and CVE-2021-42013 (path normalisation and double decoding in
// 2.4.49/2.4.50, public exploit lines), node `st` CVE-2014-3744 (encoded dots), `send` on Windows
// (backslashes, CVE-2015-8859 family), `serve`/serve-handler (symlinks out of the root, encoded
// slashes), Node CVE-2017-14849 (path.normalize bypass), overlong UTF-8 and %u encodings (IIS),
// NUL truncation, absolute and absolute-form targets, Windows drive letters, \\?\ paths, NTFS
// streams and device names, and dotfiles.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { get, makeSite, rawHttp, serve, type Served } from './helpers.js';

const PORT = 24300;
const SECRET = 'NLE-SECRET-7f3a9c1d';
const DOT_SECRET = 'NLE-DOTFILE-51b2e8';
const PASSWD = 'root:x:0:0';

const TARGETS: string[] = [
  // Apache CVE-2021-41773 (2.4.49): ".%2e" survives its normaliser.
  '/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd',
  '/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/cgi-bin/.%2e/%2e%2e/%2e%2e/%2e%2e/bin/sh',
  '/.%2e/secret.txt',
  '/%2e%2e/secret.txt',
  '/%2e./secret.txt',
  '/%2E%2E/secret.txt',
  // Apache CVE-2021-42013 (2.4.50): double decoding of "%%32%65" -> "%2e" -> ".".
  '/cgi-bin/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/etc/passwd',
  '/icons/.%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd',
  '/cgi-bin/.%%32%65/.%%32%65/.%%32%65/.%%32%65/bin/sh',
  '/%%32%65%%32%65/secret.txt',
  '/.%%32%65/secret.txt',
  '/%%32e%%32e/secret.txt',
  '/.%252e/secret.txt',
  '/%252e%252e/secret.txt',
  '/%252e%252e%252fsecret.txt',
  // Plain and encoded parent segments and slashes (node st CVE-2014-3744, serve-handler).
  '/../secret.txt',
  '/../../../../../../etc/passwd',
  '/./../secret.txt',
  '/sub/../../secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/..%2fsecret.txt',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/..%252fsecret.txt',
  '/sub/%2e%2e/%2e%2e/secret.txt',
  // Node CVE-2017-14849: path.normalize bypass.
  '/static/../../../foo/../../../../etc/passwd',
  '/sub/%2e%2e/%2e%2e/%2e%2e/foo/%2e%2e/%2e%2e/etc/passwd',
  // Backslashes, raw and encoded (send/serve-static on Windows).
  '/..\\secret.txt',
  '/..%5csecret.txt',
  '/%2e%2e%5csecret.txt',
  '/..%255csecret.txt',
  '/\\..\\secret.txt',
  '/sub\\..\\..\\secret.txt',
  // Overlong UTF-8 and IIS %u encodings of "." and "/".
  '/%c0%ae%c0%ae/secret.txt',
  '/%c0%af..%c0%afsecret.txt',
  '/%e0%80%ae%e0%80%ae/secret.txt',
  '/%u002e%u002e/secret.txt',
  '/%uff0e%uff0e/secret.txt',
  '/%ef%bc%8e%ef%bc%8e/secret.txt',
  // NUL bytes.
  '/secret.txt%00.html',
  '/index.html%00',
  '/%00../secret.txt',
  '/..%00/secret.txt',
  '/sub/ok.txt%00/../../secret.txt',
  // Absolute paths and forms.
  '/etc/passwd',
  '//etc/passwd',
  '///..//..//secret.txt',
  'http://lab.test/../secret.txt',
  'http://lab.test/%2e%2e/secret.txt',
  'file:///etc/passwd',
  '/%2fetc%2fpasswd',
  '*',
  // Windows drive letters, \\?\ paths, NTFS streams and device names.
  '/C:\\Windows\\win.ini',
  '/C:/Windows/win.ini',
  '/c%3a%5cwindows%5cwin.ini',
  '/\\\\?\\C:\\secret.txt',
  '/%5c%5c%3f%5cC:%5csecret.txt',
  '/index.html::$DATA',
  '/CON',
  '/nul.txt',
  '/aux',
  '/com1',
  '/LPT1.html',
  '/con.',
  // Symlinks inside the root that lead out of it.
  '/escape.txt',
  '/up/secret.txt',
  '/up/',
  '/up',
  '/etc-link/passwd',
  '/sub/link-to-secret',
  // Dotfiles (hidden by default), plain and encoded.
  '/.secret',
  '/.netlab-page.json',
  '/sub/.hidden',
  '/%2esecret',
  '/.%73ecret',
  '/.secret/',
  '/sub/%2ehidden',
  '/..;/secret.txt',
  '/%2e%2e;/secret.txt',
  '/dot-link',
];

let dir = '';
let served: Served | undefined;

beforeAll(async () => {
  let site: string;
  ({ dir, site } = await makeSite('nlE-trav-'));
  writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(join(site, '.secret'), `${DOT_SECRET}\n`);
  mkdirSync(join(site, 'sub'));
  mkdirSync(join(site, 'cgi-bin'));
  mkdirSync(join(site, 'icons'));
  writeFileSync(join(site, 'sub', 'ok.txt'), 'ok\n');
  writeFileSync(join(site, 'sub', '.hidden'), `${DOT_SECRET}\n`);
  symlinkSync('../secret.txt', join(site, 'escape.txt'));
  symlinkSync('..', join(site, 'up'));
  symlinkSync('/etc', join(site, 'etc-link'));
  symlinkSync(join(dir, 'secret.txt'), join(site, 'sub', 'link-to-secret'));
  symlinkSync('.secret', join(site, 'dot-link'));
  // Listing on: directory requests must not list what is outside the root either.
  const r = await serve(['--root', site, '--port', String(PORT), '--host', 'loopback', '--listing',
    '--access-log', join(dir, 'access.log'), '--error-log', join(dir, 'error.log')], { env: { NETLAB_DATA_DIR: dir } });
  if (r.served === undefined) throw new Error(`netlab serve did not start: ${r.stderr}`);
  served = r.served;
});

afterAll(async () => {
  await served?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`traversal: ${TARGETS.length} raw request targets`, () => {
  it('has at least 50 targets, and the server does serve what is inside the root', async () => {
    expect(TARGETS.length).toBeGreaterThanOrEqual(50);
    expect((await rawHttp(PORT, get('/sub/ok.txt'))).status).toBe(200);
    const listing = await rawHttp(PORT, get('/sub/'));
    expect(listing.status).toBe(200);
    expect(listing.body.toString()).toContain('ok.txt');
    expect(listing.body.toString()).not.toContain('.hidden');
  });

  it.each(TARGETS)('%s reads nothing outside the root', async (target) => {
    const res = await rawHttp(PORT, get(target));
    const text = res.raw.toString('latin1');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(DOT_SECRET);
    expect(text).not.toContain(PASSWD);
    expect(text).not.toContain('nlE-trav-'); // not even the name of the folder above the root
    expect([400, 403, 404]).toContain(res.status);
  });

  it('logs the refusals in the error log', () => {
    const log = readFileSync(join(dir, 'error.log'), 'utf8');
    expect(log).toMatch(/refused \/\.\.\/secret\.txt: parent directory segment/);
    expect(log).toMatch(/symlink to .*secret\.txt outside the document root/);
  });
});
