import { existsSync, readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
}

const root = new URL('../', import.meta.url);
const read = (file: string) => JSON.parse(readFileSync(new URL(file, root), 'utf8')) as unknown;
/** The lock also lists other platforms' builds (rolldown's for Windows, wasm…): only what is installed here counts. */
const installed = (path: string) => existsSync(new URL(`${path}/package.json`, root));
const manifest = read('package.json') as { engines: { node: string }; overrides?: Record<string, string> };
const lock = read('package-lock.json') as { packages: Record<string, LockEntry> };

/** Every Node version paybridge says it runs on must be one each package it installs accepts. */
describe('the Node versions paybridge declares', () => {
  const declared = manifest.engines.node;

  it('is a range npm can read', () => {
    expect(semver.validRange(declared)).not.toBeNull();
  });

  it('is accepted by every installed package, so npm install warns about no engine', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '' && installed(path))
      .flatMap(([path, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        if (node === undefined) return [];
        return semver.subset(declared, node, { includePrerelease: false })
          ? []
          : [`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${node}`];
      });
    expect(refusing).toEqual([]);
  });

  it('keeps cookie at the 1.x line, whose parseCookie and stringifySetCookie the cookie plugin and inject call', () => {
    // cookie 2 declares Node 22 (it is ESM only); 1.1 has the same two functions and runs on 18+.
    expect(manifest.overrides?.cookie).toMatch(/^1\./);
    const copies = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/cookie$/.test(path));
    expect(copies.length).toBeGreaterThan(0);
    for (const [, entry] of copies) expect(entry.version).toMatch(/^1\./);
  });
});
