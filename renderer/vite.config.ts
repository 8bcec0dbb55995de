import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Plugin, type UserConfig, defineConfig } from 'vite';

/**
 * The renderer's build: one static bundle that both hosts load, the Electron window (file://)
 * and the web host (http://127.0.0.1). Pieces are exported so electron.vite.config.ts can reuse them.
 */
export const rendererRoot = dirname(fileURLToPath(import.meta.url));
export const rendererOutDir = resolve(rendererRoot, '../out/renderer');

/**
 * index.html carries the production CSP. Vite's dev server needs an inline React Refresh preamble
 * and a websocket for HMR, so only while serving, the policy is loosened for exactly those.
 */
export function devCspPlugin(): Plugin {
  return {
    name: 'towerline-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*");
    },
  };
}

export function rendererPlugins(): Plugin[] {
  return [...react(), devCspPlugin()];
}

export const rendererBuild: NonNullable<UserConfig['build']> = {
  outDir: rendererOutDir,
  emptyOutDir: true,
  target: 'chrome120',
  sourcemap: true,
  chunkSizeWarningLimit: 1200,
  rollupOptions: {
    onwarn(warning, warn) {
      // zod ships `@__PURE__` notes Rollup cannot place; harmless, and noise in every build.
      if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
      warn(warning);
    },
    output: {
      manualChunks(id) {
        if (!id.includes('node_modules')) return undefined;
        if (id.includes('@tabler/icons')) return 'icons';
        if (id.includes('/zod/')) return 'zod';
        if (id.includes('@mantine') || id.includes('mantine-datatable') || id.includes('@floating-ui')) return 'mantine';
        return 'vendor';
      },
    },
  },
};

export const rendererConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: rendererPlugins(),
  build: rendererBuild,
  // shared/ lives beside renderer/: the dev server may read it.
  server: { fs: { allow: [resolve(rendererRoot, '..')] } },
};

export default defineConfig(rendererConfig);
