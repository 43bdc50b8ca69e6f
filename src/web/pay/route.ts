/** Which public payer page a path names; the staff app owns every other path. */
export type PayRoute =
  | { kind: 'page'; slug: string }
  | { kind: 'link'; token: string }
  | { kind: 'quick'; token: string }
  | { kind: 'unknown' };

export function isPayPath(path: string): boolean {
  return path === '/pay' || path.startsWith('/pay/');
}

export function payRouteOf(path: string): PayRoute {
  const parts = path.replace(/\/+$/, '').split('/').slice(2).map(safeDecode);
  const [first, second] = parts;
  // The server keeps 'link' and 'quick' from ever being a page's slug (payment-pages.ts).
  if ((first === 'link' || first === 'quick') && second && parts.length === 2) return { kind: first, token: second };
  if (first && parts.length === 1) return { kind: 'page', slug: first };
  return { kind: 'unknown' };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
