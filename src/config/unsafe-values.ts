import { joinPath } from './provenance';

/**
 * What a config value may not hold, wherever it comes from (a YAML file, a `--set` value, a matrix): keys that
 * reach an object's prototype when written (`obj.__proto__.x = 1` changes every object), and a value that
 * contains itself (a YAML alias inside its own anchor, `&a [*a]`), which no config needs and JSON cannot hold.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/** The message for a key path holding `key`, a prototype key. */
export function prototypeKeyMessage(key: string): string {
  return `'${key}' is not allowed as a key (__proto__, constructor and prototype would write through to a prototype)`;
}

/** The first prototype key among a key path's segments (`a.__proto__.b` -> `__proto__`). */
export function prototypeKeyIn(keyPath: string): string | undefined {
  return keyPath.split('.').find(isPrototypeKey);
}

export interface UnsafeValue {
  path: string;
  message: string;
}

/** The first prototype key or self-reference inside `value` (a parsed YAML value at key path `at`), if any. */
export function findUnsafeValue(value: unknown, at: string): UnsafeValue | undefined {
  return walk(value, at, new Set(), new Set());
}

/** Depth first; `ancestors` finds cycles, `checked` visits a value shared through aliases once (no blow-up). */
function walk(value: unknown, at: string, ancestors: Set<object>, checked: Set<object>): UnsafeValue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (ancestors.has(value)) return { path: at, message: 'contains itself (a YAML alias inside its own anchor)' };
  if (checked.has(value)) return undefined;
  ancestors.add(value);
  for (const [key, child] of Object.entries(value)) {
    const childPath = joinPath(at, key);
    if (isPrototypeKey(key)) return { path: childPath, message: prototypeKeyMessage(key) };
    const found = walk(child, childPath, ancestors, checked);
    if (found) return found;
  }
  ancestors.delete(value);
  checked.add(value);
  return undefined;
}
