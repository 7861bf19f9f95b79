/**
 * PostgreSQL text cannot hold NUL, and a query carrying one fails inside the database. A NUL a
 * client sends becomes the replacement character instead: the request is answered, nothing else
 * in it is lost.
 */
export function withoutNul(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

/** A parsed query string with every value's NULs replaced (see `withoutNul`). */
export function queryWithoutNul(query: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value.map(withoutNul) : value === undefined ? value : withoutNul(value)]),
  );
}
