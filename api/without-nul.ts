/**
 * PostgreSQL text cannot hold NUL, and a query carrying one fails inside the database. A NUL a
 * client sends where the document allows any text becomes the replacement character instead: the
 * request is answered, nothing else in it is lost. (Where a schema refuses NUL, as a file name's
 * does, it is refused first.)
 */
export function withoutNul(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

/** A validated query's values with their NULs replaced (see `withoutNul`). */
export function queryWithoutNul<T>(query: T): T {
  if (typeof query !== 'object' || query === null) return query;
  const clean = (value: unknown): unknown => (typeof value === 'string' ? withoutNul(value) : Array.isArray(value) ? value.map(clean) : value);
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, clean(value)])) as T;
}
