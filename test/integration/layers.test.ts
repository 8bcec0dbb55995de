import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The process split, checked on the source: only the desktop shell may import Electron, the
 * renderer never reaches for Node, and shared/ stays free of both (PRACTICES.md, "Layers").
 */
const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

function offenders(dirs: string[], forbidden: (specifier: string) => boolean): string[] {
  return dirs.flatMap(sourceFiles).flatMap((file) => importsOf(file).filter(forbidden).map((spec) => `${relative(root, join(root, file))} imports ${spec}`));
}

const isElectron = (s: string) => s === 'electron' || s.startsWith('electron/');
const isNode = (s: string) => s.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'crypto', 'better-sqlite3'].includes(s);

describe('layers', () => {
  it('keeps Electron out of everything but the desktop shell', () => {
    expect(offenders(['electron/server', 'electron/host', 'shared', 'renderer/src', 'migrations'], isElectron)).toEqual([]);
  });

  it('keeps Node and the datastore out of the renderer', () => {
    expect(offenders(['renderer/src'], isNode)).toEqual([]);
  });

  it('keeps shared/ free of Node, Electron and the back end', () => {
    expect(offenders(['shared'], (s) => isNode(s) || isElectron(s) || s.includes('electron/server'))).toEqual([]);
  });
});
