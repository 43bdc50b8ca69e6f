import type { LinkKind } from '../../domain/links.ts';
import type { AuditEntry } from '../../db/audit.ts';

/**
 * A link's audit event: payment_link_* with linkId, quick_link_* with quickLinkId, as they always were.
 * Paid and cancelled change its state (from outstanding); created and resent do not.
 */
export function linkAudit(
  kind: LinkKind,
  event: 'created' | 'resent' | 'paid' | 'cancelled',
  id: string,
  detail: Record<string, unknown> = {},
): AuditEntry {
  const to = event === 'paid' || event === 'cancelled' ? event : null;
  return {
    action: `${kind}_link_${event}`,
    ...(to === null ? {} : { from: 'outstanding', to }),
    detail: { [kind === 'payment' ? 'linkId' : 'quickLinkId']: id, ...detail },
  };
}
