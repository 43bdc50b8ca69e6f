import { createHash } from 'node:crypto';
import { z } from 'zod';
import { firmOf, type BenchContext } from '../context.ts';
import { callOk } from '../http.ts';
import { count, ms, scaledLimitMs, verdict, type Row } from '../table.ts';

const FULL_SIZE = 100_000;
const LIMIT_MS = 3000;

const waiting = z.object({ items: z.array(z.object({ id: z.string(), sha256: z.string(), lineCount: z.number() })) });
const acked = z.object({ alreadyAcknowledged: z.boolean() });

/**
 * The agent's delivery of the Post All batch. The Connect agent (src/agent) is not on
 * main yet, so its row says so; what is measured is the server's side of it over HTTP,
 * as the agent will call it: list the waiting batches, download the file, check its
 * SHA-256, acknowledge (the batch's records move from queued to posted).
 */
export async function measureAgentDelivery(ctx: BenchContext, batchId: string): Promise<Row[]> {
  const { agentToken } = firmOf(ctx, 'POSTALL');
  const lines = ctx.sizes.postAll;
  const limit = scaledLimitMs(LIMIT_MS, FULL_SIZE, lines);
  const started = performance.now();
  const list = waiting.parse((await callOk(ctx.server.api, agentToken, 'GET', '/agent/batches')).json);
  const batch = list.items.find((b) => b.id === batchId);
  if (!batch) throw new Error(`batch ${batchId} is not among the agent's waiting batches`);
  const response = await fetch(`${ctx.server.api}/agent/batches/${batchId}/file`, { headers: { authorization: `Bearer ${agentToken}` } });
  const file = Buffer.from(await response.arrayBuffer());
  const downloadedMs = performance.now() - started;
  const sha256 = createHash('sha256').update(file).digest('hex');
  if (sha256 !== batch.sha256) throw new Error(`batch ${batchId}: downloaded SHA-256 ${sha256} is not ${batch.sha256}`);
  const ackStarted = performance.now();
  const ack = acked.parse((await callOk(ctx.server.api, agentToken, 'POST', `/agent/batches/${batchId}/ack`, { sha256 })).json);
  if (ack.alreadyAcknowledged) throw new Error(`batch ${batchId} was acknowledged before the bench did`);
  const ackMs = performance.now() - ackStarted;
  const total = performance.now() - started;
  ctx.log(`agent protocol: ${count(batch.lineCount)} lines, download ${ms(downloadedMs)}, ack ${ms(ackMs)}`);
  return [
    {
      metric: `agent delivery of a ${count(lines)}-line batch (download, verify, write, fsync, rename, ack)`,
      measured: 'not measured: agent not on main yet',
      value: null,
      target: `≤ ${ms(limit)}`,
      ratio: '—',
      verdict: '—',
    },
    {
      metric: `agent protocol, server side of that delivery (list, download ${count(file.length)} bytes, SHA-256, ack)`,
      measured: `${ms(total)} (download ${ms(downloadedMs)}, ack ${ms(ackMs)})`,
      value: total,
      target: `≤ ${ms(limit)} (the whole delivery's budget)`,
      ratio: '—',
      verdict: verdict(total <= limit),
    },
  ];
}
