import { ensureWebBuilt } from '../../../src/cli/build-web.ts';

// The browser tests drive the built UI that the server serves from dist/web, so build it
// first when it is missing or older than src/web (the same check as `npm start`).
export default async function setup(): Promise<void> {
  await ensureWebBuilt();
}
