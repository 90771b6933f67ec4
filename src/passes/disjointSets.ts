/**
 * @file Union-find (disjoint sets) with path compression, where each set also lists its
 * members in the order they were added: the grouping step of the fusion analyses.
 */
export class DisjointSets<T> {
  private readonly parent = new Map<T, T>();
  private readonly members = new Map<T, T[]>();

  constructor(items: Iterable<T>) {
    for (const x of items) {
      this.parent.set(x, x);
      this.members.set(x, [x]);
    }
  }

  has(x: T): boolean {
    return this.parent.has(x);
  }

  /** The representative of x's set. */
  find(x: T): T {
    let root = x;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    for (let n = x; n !== root; ) {
      const next = this.parent.get(n)!;
      this.parent.set(n, root);
      n = next;
    }
    return root;
  }

  /** The members of the set whose representative is `root`. */
  membersOf(root: T): readonly T[] {
    return this.members.get(root)!;
  }

  /** Joins the sets of the representatives a and b (b stays the representative). */
  union(a: T, b: T): void {
    if (a === b) return;
    this.parent.set(a, b);
    this.members.set(b, [...this.members.get(b)!, ...this.members.get(a)!]);
    this.members.delete(a);
  }

  /** Every set, as lists of members. */
  sets(): T[][] {
    return [...this.members.values()];
  }
}
