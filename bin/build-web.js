#!/usr/bin/env node
// `npm start` runs this first (prestart): builds dist/web with Vite when it is missing
// or older than src/web, so the UI works straight after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { ensureWebBuilt } = await import('../src/cli/build-web.ts');
await ensureWebBuilt();
