import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The e2e project's global setup builds dist/web (test/e2e/support/global-setup-build.ts); no browser is needed here.
const DIST = new URL('../../dist/web/', import.meta.url);

interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', DIST), 'utf8')) as Record<string, Chunk>;

/** Every file the browser fetches before these chunks run: each one's static imports, all the way down, and their styles. */
function firstLoad(keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

const gzipKb = (files: Set<string>) =>
  [...files].reduce((sum, file) => sum + gzipSync(readFileSync(new URL(file, DIST)), { level: 9 }).length, 0) / 1024;

describe('the web bundle, split by who opens it', () => {
  // A payer's page: index.html's entry, then the payer's pages it imports at once.
  const payer = firstLoad(['index.html', 'pay/PayApp.tsx']);
  // Sign in and the staff shell, before any screen; then the screen a sign-in lands on.
  const staff = firstLoad(['index.html', 'StaffApp.tsx']);
  const postings = firstLoad(['index.html', 'StaffApp.tsx', 'postings/ManagePostings.tsx']);

  it("loads none of the staff app's code on a payer's page", () => {
    expect(payer.has(manifest['StaffApp.tsx']!.file)).toBe(false);
    expect(manifest['index.html']!.dynamicImports).toEqual(
      expect.arrayContaining(['pay/PayApp.tsx', 'StaffApp.tsx', 'SetPassword.tsx']),
    );
    // TanStack Query is the staff screens' cache: the payer's pages ask with plain fetches.
    const queryChunks = Object.values(manifest).filter((chunk) => chunk.file.includes('useQuery'));
    expect(queryChunks.length).toBeGreaterThan(0);
    for (const chunk of queryChunks) expect(payer.has(chunk.file)).toBe(false);
  });

  it("keeps a payer page's first load (scripts and styles, gzipped) within 120 KB", () => {
    const kb = gzipKb(payer);
    // Issue 16's budget. About 117 KB: React 19 with its DOM 65, Mantine's core and the
    // payer's inputs, buttons and alerts with money and date formatting 34, the payer's own
    // pages 7, styles 10.
    expect(kb).toBeLessThanOrEqual(120);
    expect(kb).toBeGreaterThan(0);
  });

  it('loads each staff screen as its own chunk, the first time it is opened', () => {
    const shell = manifest['StaffApp.tsx']!;
    const screens = [
      'postings/ManagePostings.tsx',
      'payments/PaymentManager.tsx',
      'take/MakePayment.tsx',
      'take/EnterPayment.tsx',
      'take/QuickLinks.tsx',
      'take/PaymentSchedules.tsx',
      'deposits/Deposits.tsx',
      'batches/Batches.tsx',
      'settings/Settings.tsx',
    ];
    expect(shell.dynamicImports).toEqual(expect.arrayContaining(screens));
    expect(manifest['settings/Settings.tsx']!.dynamicImports).toEqual(
      expect.arrayContaining(['settings/Users.tsx', 'settings/Tokens.tsx', 'settings/WebhookEndpoints.tsx']),
    );
    for (const screen of [...screens, 'settings/Users.tsx']) expect(staff.has(manifest[screen]!.file)).toBe(false);
  });

  it("keeps the staff side's first loads (scripts and styles, gzipped) within their budgets", () => {
    // Sign in and the shell: about 168 KB (272 KB when every screen came with it), most
    // of it Mantine's full stylesheet (28) and TanStack Query (15) on top of the payer's 117.
    expect(gzipKb(staff)).toBeLessThanOrEqual(175);
    // Then Manage Postings, where a sign-in lands: about 248 KB.
    expect(gzipKb(postings)).toBeLessThanOrEqual(255);
  });
});
