/**
 * Vite config of the browser explorer (app/). `npm run app` serves it, `npm run build:app` writes a
 * static site to app/dist with relative URLs (base './'), so the folder can be hosted anywhere.
 * The page script and the compute worker are classic scripts (IIFE) so that the built folder also
 * works when opened as plain files (file://); see the two plugins below. `npm run app` (dev server)
 * serves ES modules as usual.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Cross-origin isolation lets the page share an abort flag with the workers (SharedArrayBuffer). */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Makes the built page loadable from file://: Chromium refuses module scripts and `crossorigin`
 * stylesheets from a file:// page (origin "null"), so the entry is built as one classic IIFE script
 * (deferred) and the attributes are dropped. The worker is inlined (see makeWorker in main.ts).
 */
function classicScriptForFileUrls(): Plugin {
  return {
    name: 'qbwave:classic-script',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html
        .replace(/<script type="module" crossorigin src=/g, '<script defer src=')
        .replace(/<link rel="stylesheet" crossorigin href=/g, '<link rel="stylesheet" href='),
    },
  };
}

export default defineConfig({
  plugins: [classicScriptForFileUrls()],
  root: here,
  base: './',
  publicDir: false,
  // A classic (IIFE) worker script, which Chromium runs from a Blob URL even on a file:// page (a
  // module worker it refuses there); the core has no top-level await, which such a script could not hold.
  worker: { format: 'iife' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false, // the inlined worker's map would be an orphan file of 1 MB
    chunkSizeWarningLimit: 1500,
    modulePreload: false,
    cssCodeSplit: false,
    rolldownOptions: { output: { format: 'iife' } },
  },
  server: { headers: isolation, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { headers: isolation },
});
