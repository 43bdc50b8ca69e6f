import { z } from 'zod';
import { LIVE_TOPICS } from '../domain/live-topics.ts';
import { endpoint } from './endpoint.ts';

/** The live event stream (SPEC §9): news of changes, never the changes themselves. */

export const EVENT_STREAM_TYPE = 'text/event-stream';
/** How long a browser waits before it opens the stream again after it breaks. */
export const RETRY_MS = 3_000;

export const getEvents = endpoint({
  method: 'GET',
  path: '/events',
  access: 'user',
  summary: "Server-sent events for the caller's firm: when to read postings, batches or Connect status again",
  description: [
    `A ${EVENT_STREAM_TYPE} that stays open: first \`retry: ${RETRY_MS}\`, then \`event: <topic>\` with \`data: {}\` for each change in the firm`,
    `(topics: ${LIVE_TOPICS.join(', ')}), and a comment line every 25 s.`,
    'Events carry no data: read what changed through the API. Several changes of one topic within a quarter second come as one event.',
    'The stream ends when the sign-in it was opened with ends (checked every 25 s) or the server closes; the browser opens it again.',
  ].join(' '),
  produces: [EVENT_STREAM_TYPE],
  response: z.unknown().describe(EVENT_STREAM_TYPE),
});
