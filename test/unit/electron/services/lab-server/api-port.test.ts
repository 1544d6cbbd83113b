// The adapter fits the API's LabServerPort (checked by the compiler through the annotation below) and
// drives the real server and site: first start makes the site folder, the access event fires.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabServerPort } from '../../../../../electron/api/backend.js';
import type { AccessLogEntry } from '../../../../../electron/api/contract.js';
import { createLabServerPort } from '../../../../../electron/services/lab-server/index.js';

const PORT = 24330;
let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('createLabServerPort', () => {
  it('starts on the default site, reports access, and stops', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nlE-port-'));
    const port: LabServerPort = createLabServerPort({ dataDir: dir });
    const seen: AccessLogEntry[] = [];
    port.onAccess((e) => seen.push(e));
    const st = await port.start({ port: PORT, host: 'loopback', listing: false });
    expect(st).toMatchObject({ running: true, port: PORT, host: 'loopback', root: join(dir, 'site'), urls: [`http://127.0.0.1:${PORT}/`] });
    const body = await new Promise<string>((resolve, reject) => {
      http.get(`http://127.0.0.1:${PORT}/`, (res) => {
        let s = '';
        res.setEncoding('utf8').on('data', (d: string) => { s += d; }).on('end', () => resolve(s));
      }).on('error', reject);
    });
    expect(body).toContain('<img class="logo" src="logo.svg"');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/', status: 200 });
    expect((await port.getSite()).handEdited).toBe(false);
    expect((await port.stop()).running).toBe(false);
    expect((await port.status()).urls).toEqual([]);
  });
});
