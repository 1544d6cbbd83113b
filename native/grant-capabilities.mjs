// Run by `npm run build:native` after node-gyp: gives the freshly built capture helper, and only it,
// the Linux capabilities to capture (setcap cap_net_raw,cap_net_admin+eip), when we are root and
// setcap exists (scripts/setup.sh runs as root in CI). Never fails the build: without root it says
// how to do it by hand. Never applied to node or electron (see electron/services/capture/permissions.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const helper = join(dirname(fileURLToPath(import.meta.url)), 'build', 'Release', 'netlab-capture');
if (process.platform !== 'linux' || !existsSync(helper)) process.exit(0);
const cmd = `setcap cap_net_raw,cap_net_admin+eip ${helper}`;
if (process.getuid() !== 0) {
  console.log(`native: to capture without root, run once: sudo ${cmd}`);
  process.exit(0);
}
const r = spawnSync('setcap', ['cap_net_raw,cap_net_admin+eip', helper], { encoding: 'utf8' });
if (r.status === 0) console.log(`native: ${helper} may capture (cap_net_raw,cap_net_admin)`);
else console.log(`native: could not set capabilities (${(r.stderr || r.error?.message || '').trim()}); run: sudo ${cmd}`);
