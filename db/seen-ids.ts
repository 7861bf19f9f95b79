/**
 * Ids this process has seen, per owner (a database, a Temporal client), to skip work that was
 * done already. Forgotten whole when a set grows large: a cheap bound, costing at worst one
 * redundant call per id afterwards.
 */
export class SeenIds<Owner extends object> {
  private readonly sets = new WeakMap<Owner, Set<string>>();

  constructor(private readonly limit = 100_000) {}

  has(owner: Owner, id: string): boolean {
    return this.sets.get(owner)?.has(id) ?? false;
  }

  add(owner: Owner, id: string): void {
    let ids = this.sets.get(owner);
    if (!ids) this.sets.set(owner, (ids = new Set()));
    if (ids.size >= this.limit) ids.clear();
    ids.add(id);
  }

  delete(owner: Owner, id: string): void {
    this.sets.get(owner)?.delete(id);
  }
}
