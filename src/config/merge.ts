import { ConfigError } from '../errors';
import { forgetBelow, isAtOrBelow, joinPath, locate, Provenance } from './provenance';
import { isPrototypeKey, prototypeKeyMessage } from './unsafe-values';

export type ConfigValue = unknown;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `override` into `base` (neither is modified): maps merge key by key, recursively; lists and scalars
 * replace, and so does a plugin map whose `type` changes (the old plugin's options mean nothing to the new one).
 * Provenance follows the values: a replaced value forgets where its old sub-keys came from. A prototype key
 * (`__proto__`, `constructor`, `prototype`) is a config error, never written.
 */
export function deepMerge(
  base: ConfigValue,
  override: ConfigValue,
  provenance: { base: Provenance; override: Provenance },
  path = '',
): { value: ConfigValue; provenance: Provenance } {
  const merged = new Map(provenance.base);
  const value = mergeInto(base, override, path, merged, provenance.override);
  return { value, provenance: merged };
}

function mergeInto(base: ConfigValue, override: ConfigValue, path: string, merged: Provenance, overrideSources: Provenance): ConfigValue {
  if (isPlainObject(base) && isPlainObject(override) && !changesPluginType(base, override)) {
    const result: Record<string, unknown> = { ...base };
    const own = overrideSources.get(path);
    if (own && !merged.has(path)) merged.set(path, own);
    for (const [key, child] of Object.entries(override)) {
      const childPath = joinPath(path, key);
      if (isPrototypeKey(key)) {
        throw new ConfigError([{ ...locate(overrideSources, childPath), path: childPath, message: prototypeKeyMessage(key) }]);
      }
      const inBase = Object.hasOwn(base, key);
      result[key] = inBase ? mergeInto(base[key], child, childPath, merged, overrideSources) : child;
      if (!inBase) copyBelow(overrideSources, childPath, merged);
    }
    return result;
  }
  forgetBelow(merged, path);
  copyBelow(overrideSources, path, merged);
  return override;
}

function copyBelow(from: Provenance, path: string, to: Provenance): void {
  for (const [key, source] of from) {
    if (isAtOrBelow(key, path)) to.set(key, source);
  }
}

function changesPluginType(base: Record<string, unknown>, override: Record<string, unknown>): boolean {
  return Object.hasOwn(base, 'type') && Object.hasOwn(override, 'type') && base.type !== override.type;
}
