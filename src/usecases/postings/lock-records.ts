import { lockRecordRows, readCorrectionPartners, type LockedRecord } from '../../db/postings.ts';
import { travelsWithPartner, type PairMember } from '../../domain/corrections.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError } from '../../domain/errors.ts';

export type { LockedRecord };

/**
 * Locks the named records of this firm in id order (so two actions cannot deadlock).
 * Any id that is missing, or another firm's, answers not_found (the ids in the details), and nothing changes.
 */
export async function lockRecords(tx: Db, firmId: string, ids: readonly string[]): Promise<LockedRecord[]> {
  const unique = [...new Set(ids)];
  const rows = await lockRecordRows(tx, firmId, unique);
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) {
    throw new DomainError(
      'not_found',
      missing.length === unique.length && missing.length === 1
        ? 'this posting record was not found: reload the list and choose it again'
        : `${missing.length} of the ${unique.length} posting records chosen were not found: reload the list and choose them again`,
      { ids: missing },
    );
  }
  return rows;
}

/** Named records locked with the other halves of their corrections. */
export interface LockedWithPartners {
  /** The named records, in id order. */
  records: LockedRecord[];
  /** Per named half that has not gone out yet, its partner (SPEC §3.7: the two move together). */
  partners: Map<string, LockedRecord>;
}

/**
 * Locks the named records and the other halves of the corrections among them, all in id
 * order in one statement. Which record is whose partner never changes, so it is read
 * first; whether a half still moves with its partner is decided from the locked rows.
 */
export async function lockWithPartners(tx: Db, firmId: string, ids: readonly string[]): Promise<LockedWithPartners> {
  const unique = [...new Set(ids)];
  const links = await readCorrectionPartners(tx, firmId, unique);
  const rows = await lockRecords(tx, firmId, [...unique, ...links.values()]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const named = new Set(unique);
  const records = rows.filter((r) => named.has(r.id));
  const partners = new Map<string, LockedRecord>();
  for (const record of records) {
    const partner = links.get(record.id);
    if (partner !== undefined && travelsWithPartner(pairMember(record))) partners.set(record.id, byId.get(partner)!);
  }
  return { records, partners };
}

export function pairMember(record: LockedRecord): PairMember {
  return {
    id: record.id,
    status: record.status,
    correctionId: record.correction_id,
    mmsRefusals: record.mms_refusals,
  };
}

/** The named records and their partners that are not named too, in id order: what moves together. */
export function withPartners({ records, partners }: LockedWithPartners): LockedRecord[] {
  const named = new Set(records.map((r) => r.id));
  const added = [...new Map([...partners.values()].filter((p) => !named.has(p.id)).map((p) => [p.id, p])).values()];
  return [...records, ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
