import { describe, expect, it } from 'vitest';
import { safePath } from '../../../../../electron/services/lab-server/safe-path.js';

describe('safePath', () => {
  it('decodes once and normalises harmless forms', () => {
    expect(safePath('/')).toEqual({ ok: true, path: '/', trailingSlash: true });
    expect(safePath('/a/./b//c.html?x=1#f')).toEqual({ ok: true, path: '/a/b/c.html', trailingSlash: false });
    expect(safePath('/%E8%AE%A1%E7%AE%97/')).toEqual({ ok: true, path: '/计算/', trailingSlash: true });
    expect(safePath('http://host:85/logo.png')).toEqual({ ok: true, path: '/logo.png', trailingSlash: false });
    // "%252e" decodes once to the literal name "%2e", never to "." (CVE-2021-42013).
    expect(safePath('/%252e%252e/x')).toEqual({ ok: true, path: '/%2e%2e/x', trailingSlash: false });
  });

  it.each([
    ['/../x', 403], ['/%2e%2e/x', 403], ['/.%2e/x', 403], ['/a/..%2fx', 403],
    ['/%%32%65', 400], ['/%c0%ae%c0%ae/x', 400], ['/%u002e', 400], ['/a%00b', 400], ['/a%0d%0ab', 400],
    ['/a\\b', 400], ['/a%5cb', 400], ['/C:/x', 400], ['/x::$DATA', 400], ['*', 400], ['file:///etc/passwd', 400],
    ['/CON', 400], ['/nul.txt', 400], ['/com1', 400], ['/lpt9.html', 400], ['/con.', 400], ['/aux ', 400],
    ['/.env', 404], ['/a/.git/config', 404], ['/%2egit', 404], ['/..;/x', 404], ['/. /x', 404],
  ] as const)('%s is refused with %i', (target, status) => {
    expect(safePath(target)).toMatchObject({ ok: false, status });
  });

  it('serves dotfiles only when asked to', () => {
    expect(safePath('/.well-known/x', { dotfiles: true })).toMatchObject({ ok: true, path: '/.well-known/x' });
    expect(safePath('/../x', { dotfiles: true })).toMatchObject({ ok: false, status: 403 });
  });
});
