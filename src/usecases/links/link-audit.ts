import type { LinkKind } from '../../domain/links.ts';
import type { AuditEntry } from '../../db/audit.ts';

/** A link's audit event: payment_link_* with linkId, quick_link_* with quickLinkId, as they always were. */
export function linkAudit(
  kind: LinkKind,
  event: 'created' | 'paid' | 'cancelled',
  id: string,
  detail: Record<string, unknown> = {},
): AuditEntry {
  const to = event === 'created' ? null : event;
  return {
    action: `${kind}_link_${event}`,
    ...(to === null ? {} : { from: 'outstanding', to }),
    detail: { [kind === 'payment' ? 'linkId' : 'quickLinkId']: id, ...detail },
  };
}
