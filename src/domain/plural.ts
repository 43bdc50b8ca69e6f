/**
 * A count with its noun, agreeing: "1 record", "3 records", "0 lines", "2 batches". The
 * plural is the noun with an s unless told otherwise ("try" → "tries"). Every "N things"
 * a person reads goes through here, so none says "1 lines".
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
