/**
 * Renderer build: `renderer/index.html` → `dist/renderer/`. Relative base so the same
 * files load over HTTP (serve) and from file:// (Electron window). No inline scripts or
 * remote resources (strict CSP). TSX uses Vite's built-in transform with the automatic
 * JSX runtime (tsconfig `jsx: react-jsx`), no React plugin.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything as files: an inlined data: script or font would break the CSP.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    modulePreload: { polyfill: false },
  },
  server: { strictPort: false },
});
