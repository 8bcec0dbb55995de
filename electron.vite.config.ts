import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererBuild, rendererPlugins, rendererRoot } from './renderer/vite.config';

/**
 * Builds the desktop app: main (the back end and shell), preload (CommonJS, for the sandbox) and
 * the renderer, with the very build settings the web host's renderer uses (renderer/vite.config.ts).
 */
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // A worker thread's entry of its own (electron/server/billing/read-ahead.ts).
          'read-ahead-worker': resolve(__dirname, 'electron/server/billing/read-ahead.worker.ts'),
          // The restore check's worker (electron/server/backup/inspect.ts).
          'inspect-worker': resolve(__dirname, 'electron/server/backup/inspect.worker.ts'),
          // Imports' and exports' spreadsheet work (electron/server/io/io-thread.ts).
          'io-worker': resolve(__dirname, 'electron/server/io/io.worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: rendererRoot,
    base: './',
    plugins: rendererPlugins(),
    build: { ...rendererBuild, rollupOptions: { ...rendererBuild.rollupOptions, input: resolve(rendererRoot, 'index.html') } },
  },
});
