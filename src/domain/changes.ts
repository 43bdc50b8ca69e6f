/**
 * The fields a patch changes: those it gives (not undefined) with a value other than the
 * current one. A patch that changes nothing changes nothing, and is audited as nothing.
 */
export function changedFields<T, K extends keyof T>(before: T, wanted: Partial<Pick<T, K>>, fields: readonly K[]): K[] {
  return fields.filter((key) => wanted[key] !== undefined && wanted[key] !== before[key]);
}

/** Just these fields of a value, as an audit event records the before and after of a change. */
export function pickFields<T, K extends keyof T>(value: T, fields: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(fields.map((key) => [key, value[key]])) as Partial<Pick<T, K>>;
}
