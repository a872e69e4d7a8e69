import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The Electron entry and its preload, bundled to CommonJS for Electron's Node (a sandboxed preload must be
 * one CommonJS file). Dependencies stay external: electron-builder ships them from node_modules.
 */
export default defineConfig({
  build: {
    ssr: true,
    outDir: here('../../dist/main'),
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: { index: here('main.ts'), preload: here('preload.ts') },
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
});
