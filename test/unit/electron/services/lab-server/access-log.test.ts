import { describe, expect, it } from 'vitest';
import { accessEntry, apacheTime, escapeLogItem } from '../../../../../electron/services/lab-server/access-log.js';

describe('access log (Apache combined format)', () => {
  it('formats the time as Apache %t does, in local time with its offset', () => {
    const ms = Date.UTC(2021, 9, 10, 13, 55, 36);
    const d = new Date(ms);
    const off = -d.getTimezoneOffset();
    const sign = off >= 0 ? '+' : '-';
    const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
    const mm = String(Math.abs(off) % 60).padStart(2, '0');
    expect(apacheTime(ms)).toMatch(new RegExp(`^\\[\\d{2}/Oct/2021:\\d{2}:55:36 \\${sign}${hh}${mm}\\]$`));
  });

  it('escapes quotes, backslashes and non-printable bytes as ap_escape_logitem', () => {
    expect(escapeLogItem('plain /index.html')).toBe('plain /index.html');
    expect(escapeLogItem('a"b\\c\n')).toBe('a\\"b\\\\c\\x0a');
    expect(escapeLogItem('é')).toBe('\\xc3\\xa9');
  });

  it('writes "-" for no bytes and for missing Referer and User-Agent', () => {
    const e = accessEntry({ remote: '10.0.0.2', startMs: Date.UTC(2021, 0, 1), method: 'HEAD', url: '/', httpVersion: '1.1', status: 200, bytes: 0, referer: undefined, userAgent: undefined });
    expect(e.line).toMatch(/^10\.0\.0\.2 - - \[[^\]]+\] "HEAD \/ HTTP\/1\.1" 200 - "-" "-"$/);
    expect(e).toMatchObject({ remote: '10.0.0.2', method: 'HEAD', status: 200, bytes: 0, time: '2021-01-01T00:00:00.000Z' });
  });
});
