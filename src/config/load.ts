import * as fs from 'fs';
import * as path from 'path';
import { isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { ConfigError, ConfigIssue } from '../errors';
import { deepMerge, isPlainObject } from './merge';
import { isAtOrBelow, joinPath, locate, Provenance } from './provenance';
import { findUnsafeValue, prototypeKeyIn, prototypeKeyMessage } from './unsafe-values';

export interface LoadedConfig {
  value: Record<string, unknown>;
  provenance: Provenance;
}

/**
 * Reads a YAML config and everything it `extends` (a path or list of paths, relative to the file).
 * Bases merge in order, then the file itself on top; maps merge, lists replace. Cycles and missing files are errors.
 */
export function loadConfigFile(file: string): LoadedConfig {
  return load(path.resolve(file), [], displayName(file));
}

function displayName(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') ? path.resolve(file) : relative;
}

function load(absolute: string, chain: string[], shown: string): LoadedConfig {
  if (chain.includes(absolute)) {
    const cycle = [...chain.slice(chain.indexOf(absolute)), absolute].map(displayName).join(' -> ');
    throw new ConfigError([{ file: displayName(chain[chain.length - 1]), path: 'extends', message: `extends cycle: ${cycle}` }]);
  }
  const own = parseYamlFile(absolute, shown);
  const { extends: bases, ...body } = own.value;
  let merged: LoadedConfig = { value: {}, provenance: new Map() };
  for (const [index, base] of baseList(bases, shown, own.provenance).entries()) {
    const basePath = path.resolve(path.dirname(absolute), base);
    if (!fs.existsSync(basePath)) {
      const where = own.provenance.get(Array.isArray(bases) ? `extends.${index}` : 'extends');
      throw new ConfigError([
        {
          file: shown,
          line: where?.line,
          path: 'extends',
          message: `extended file not found: ${base} (looked for ${displayName(basePath)})`,
        },
      ]);
    }
    const loaded = load(basePath, [...chain, absolute], displayName(basePath));
    merged = merge(merged, loaded);
  }
  own.provenance.delete('extends');
  for (const key of [...own.provenance.keys()]) if (key.startsWith('extends.')) own.provenance.delete(key);
  return merge(merged, { value: body, provenance: own.provenance });
}

function merge(base: LoadedConfig, override: LoadedConfig): LoadedConfig {
  const result = deepMerge(base.value, override.value, { base: base.provenance, override: override.provenance });
  return { value: result.value as Record<string, unknown>, provenance: result.provenance };
}

function baseList(bases: unknown, file: string, provenance: Provenance): string[] {
  if (bases === undefined || bases === null) return [];
  const list = Array.isArray(bases) ? bases : [bases];
  if (!list.every((entry) => typeof entry === 'string')) {
    throw new ConfigError([
      { file, line: provenance.get('extends')?.line, path: 'extends', message: 'must be a file path or a list of file paths' },
    ]);
  }
  return list as string[];
}

/** Parses one YAML file into a plain map, recording the line of every key. */
export function parseYamlFile(absolute: string, shown: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([{ file: shown, path: '', message: `cannot read config: ${reason}` }]);
  }
  return parseYamlText(text, shown);
}

export function parseYamlText(text: string, shown: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const issues: ConfigIssue[] = document.errors.map((error) => ({
    file: shown,
    line: error.linePos?.[0].line,
    path: '',
    message: `invalid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (issues.length) throw new ConfigError(issues);
  let value: unknown;
  try {
    value = document.toJS() ?? {};
  } catch (error) {
    // e.g. yaml's guard against alias expansion ("billion laughs"): "Excessive alias count ..."
    throw new ConfigError([{ file: shown, path: '', message: `invalid YAML: ${(error as Error).message.split('\n')[0]}` }]);
  }
  if (!isPlainObject(value)) {
    throw new ConfigError([{ file: shown, line: 1, path: '', message: 'a config must be a YAML map of keys to values' }]);
  }
  const provenance: Provenance = new Map([['', { file: shown, line: 1 }]]);
  recordLines(document.contents, '', provenance, shown, lineCounter);
  checkSafe(value, provenance, shown);
  return { value, provenance };
}

/**
 * Every key path holding a prototype key (key paths, not just keys: a matrix key such as `__proto__.polluted`
 * names a path to write to), then any value that contains itself: config errors with their lines.
 */
function checkSafe(value: Record<string, unknown>, provenance: Provenance, file: string): void {
  const issues: ConfigIssue[] = [];
  for (const [keyPath, { line }] of provenance) {
    const key = prototypeKeyIn(keyPath);
    if (key && !issues.some((issue) => isAtOrBelow(keyPath, issue.path)))
      issues.push({ file, line, path: keyPath, message: prototypeKeyMessage(key) });
  }
  const unsafe = issues.length ? undefined : findUnsafeValue(value, '');
  if (unsafe) issues.push({ file, line: locate(provenance, unsafe.path)?.line, ...unsafe });
  if (issues.length) throw new ConfigError(issues);
}

function recordLines(node: unknown, at: string, provenance: Provenance, file: string, lines: LineCounter): void {
  const lineOf = (n: Node | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : undefined);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyPath = joinPath(at, key);
      provenance.set(keyPath, { file, line: lineOf(pair.key as Node) });
      recordLines(pair.value, keyPath, provenance, file, lines);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const itemPath = joinPath(at, index);
      provenance.set(itemPath, { file, line: lineOf(item as Node) });
      recordLines(item, itemPath, provenance, file, lines);
    });
  }
}
