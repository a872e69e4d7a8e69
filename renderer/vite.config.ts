import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The renderer is loaded from files by Electron (no dev server in production), so asset paths are relative.
// Two pages: the station UI, and the same engines without the UI for headless drivers (tests, benchmarks).
export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    rollupOptions: { input: { index: here('index.html'), harness: here('harness.html') } },
  },
});
