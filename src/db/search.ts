import { sql, type RawBuilder } from 'kysely';
import { likePattern, searchKeyPatterns, searchWords } from '../domain/paging.ts';

/**
 * The lists searched through a trigram-indexed search table partitioned by firm: Manage
 * Postings (posting_record_search, migrations 0004, 0030, 0031) and the Payment Manager
 * (payment_search, migration 0033). Each row holds the words of its record or payment,
 * lower-cased and without `#`, then its search keys (amount, last 4, client/matter).
 */
const SEARCHED = {
  records: { alias: 'r', table: 'posting_record_search', key: 'record_id' },
  payments: { alias: 'p', table: 'payment_search', key: 'payment_id' },
} as const;

/**
 * A row of the list (alias r for records, p for payments) the search box's text finds: by
 * its words, or (searchMeanings) by its amount, last 4 digits or client and matter as the
 * table shows them, each a key of the search text (searchKeyPatterns), so every pattern
 * goes through the index. EXISTS rather than IN: the planner turns it into a join that
 * reads only this firm's matches, or checks a page's rows one by one. Null when the text
 * is no search (searchWords): the list is not narrowed.
 */
export function searchMatch(list: keyof typeof SEARCHED, q: string | undefined): RawBuilder<boolean> | null {
  const patterns = searchPatterns(q);
  if (patterns.length === 0) return null;
  const { alias, table, key } = SEARCHED[list];
  const like = sql.join(
    patterns.map((p) => sql`s.search_text like ${p}`),
    sql` or `,
  );
  return sql<boolean>`exists (select from ${sql.table(table)} s
    where s.firm_id = ${sql.ref(`${alias}.firm_id`)} and ${sql.ref(`s.${key}`)} = ${sql.ref(`${alias}.id`)} and (${like}))`;
}

/** The LIKE patterns on a search row's text that find what the search box's text means; none for no search. */
export function searchPatterns(q: string | undefined): string[] {
  const words = searchWords(q);
  return words === null ? [] : [likePattern(words), ...searchKeyPatterns(words)];
}
