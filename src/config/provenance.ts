/** Where a key path's value came from: a file and line, or a `--set` override. */
export interface Source {
  file: string;
  line?: number;
}

/** Key path (dot-joined, list indexes as numbers) -> where it was set. */
export type Provenance = Map<string, Source>;

export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

/** Removes every entry at `path` or below it (its value was replaced as a whole). */
export function forgetBelow(provenance: Provenance, path: string): void {
  for (const key of [...provenance.keys()]) {
    if (isAtOrBelow(key, path)) provenance.delete(key);
  }
}

/** True when `key` is `path` itself or one of its sub-paths; every path is below the root ''. */
export function isAtOrBelow(key: string, path: string): boolean {
  return path === '' || key === path || key.startsWith(`${path}.`);
}

/** The source of the most specific recorded path at or above `path`. */
export function locate(provenance: Provenance, path: string): Source | undefined {
  let current = path;
  for (;;) {
    const found = provenance.get(current);
    if (found) return found;
    const cut = current.lastIndexOf('.');
    if (cut < 0) return provenance.get('');
    current = current.slice(0, cut);
  }
}
