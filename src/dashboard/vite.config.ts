import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard's build: src/dashboard/app -> dist/dashboard, which the server serves at `/`.
 * Run by `npm install` (the `prepare` script), so `npm start` needs no network and no build step.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./app', import.meta.url)),
  base: '/',
  // Relative asset URLs would break on /jobs/<id>-style paths; the app routes by hash anyway.
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  logLevel: 'warn',
});
