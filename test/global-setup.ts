import { execFileSync } from 'node:child_process';

// Integration tests run the real, bundled CLI; rebuild the Node bundles so they test this tree.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { stdio: 'inherit' });
}
