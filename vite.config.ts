import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer (renderer/) builds to dist/renderer, served by `netlab ui` and the Electron shell from
// their own origin: relative asset paths, ES-module workers, no inline scripts (the CSP forbids them).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // One app chunk (~0.7 MB with the engine's registry) loads from disk, so the 500 kB web warning does not apply.
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
});
