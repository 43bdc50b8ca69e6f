/** What kind of thing changed in a firm: the news db/notify.ts sends and GET /events names. */
export const LIVE_TOPICS = [
  /** A posting record's status, reasons or allocations changed (intake, edit, remove, move, post, ack, the MMS's answer, a sync). */
  'postings.changed',
  /** A batch was made, delivered or answered by the MMS. */
  'batches.changed',
  /** An agent's contact, sync or delivery was recorded, or an agent token made or revoked. */
  'connect.changed',
  /** A processor payout was recorded (Deposits). */
  'deposits.changed',
] as const;

export type LiveTopic = (typeof LIVE_TOPICS)[number];
