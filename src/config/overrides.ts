import { parse } from 'yaml';
import { ConfigError } from '../errors';
import { isPlainObject } from './merge';
import { forgetBelow, Provenance } from './provenance';
import { findUnsafeValue, prototypeKeyIn, prototypeKeyMessage } from './unsafe-values';

/**
 * Applies `--set key.path=value` overrides in order; values are parsed as YAML (`--set seed=3` is a number,
 * `--set model.placement=[]` a list). Missing maps along the path are created.
 */
export function applyOverrides(config: Record<string, unknown>, overrides: string[], provenance: Provenance): void {
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError([{ file: '--set', path: '', message: `expected key.path=value, got '${override}'` }]);
    }
    const keyPath = override.slice(0, eq).trim();
    let value: unknown;
    try {
      value = parse(override.slice(eq + 1));
    } catch (error) {
      throw new ConfigError([{ file: '--set', path: keyPath, message: `invalid YAML value: ${(error as Error).message.split('\n')[0]}` }]);
    }
    setAtPath(config, keyPath, value ?? null, provenance, `--set ${override}`);
  }
}

/**
 * Sets one key path (creating missing maps) and records `source` as where its value came from. A prototype key
 * (`__proto__`, `constructor`, `prototype`) in the path, or an unsafe value (unsafe-values.ts), is a config error.
 */
export function setAtPath(root: Record<string, unknown>, keyPath: string, value: unknown, provenance: Provenance, source: string): void {
  const keys = keyPath.split('.');
  // An empty key ('', 'a..b') would also make forgetBelow drop where every other value came from.
  if (keys.includes(''))
    throw new ConfigError([{ file: source, path: keyPath, message: `'${keyPath}' is not a key path: a key is empty` }]);
  const forbiddenKey = prototypeKeyIn(keyPath);
  const unsafe = forbiddenKey ? { path: keyPath, message: prototypeKeyMessage(forbiddenKey) } : findUnsafeValue(value, keyPath);
  if (unsafe) throw new ConfigError([{ file: source, ...unsafe }]);
  let node: unknown = root;
  keys.slice(0, -1).forEach((key, depth) => {
    const container = node as Record<string, unknown>;
    const child = Object.hasOwn(container, key) ? container[key] : undefined;
    if (!isPlainObject(child) && !Array.isArray(child)) {
      if (child !== undefined) {
        const at = keys.slice(0, depth + 1).join('.');
        throw new ConfigError([{ file: source, path: keyPath, message: `cannot set a key inside '${at}', which is not a map` }]);
      }
      container[key] = {};
    }
    node = container[key];
  });
  (node as Record<string, unknown>)[keys[keys.length - 1]] = value;
  forgetBelow(provenance, keyPath);
  provenance.set(keyPath, { file: source });
}
