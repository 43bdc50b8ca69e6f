/** The matter management systems a firm can run (the firms.mms_kind CHECK in sql/migrations). */
export const MMS_KINDS = ['elite_enterprise', 'elite_3e', 'prolaw', 'aderant', 'juris', 'pclaw', 'other'] as const;
export type MmsKind = (typeof MMS_KINDS)[number];

/**
 * MMSs that take delivered receipts into a holding area, where a person must run a
 * "credit upload" (Elite Enterprise's cash receipts upload, Aderant's and ProLaw's
 * posting of imported receipts) before the money reaches the invoices. The UI says so
 * on each delivered batch (SPEC §5). The others apply receipts on import.
 */
export const CREDIT_UPLOAD_MMS_KINDS: readonly MmsKind[] = ['elite_enterprise', 'aderant', 'prolaw'];

export function needsCreditUpload(kind: MmsKind): boolean {
  return CREDIT_UPLOAD_MMS_KINDS.includes(kind);
}
