/** A glob as a whole-string RegExp: `*` matches any run of characters (dots included); everything else itself. */
export function globPattern(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
