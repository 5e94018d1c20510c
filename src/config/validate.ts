import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { closest } from 'fastest-levenshtein';
import { ConfigError, ConfigIssue } from '../errors';
import { isPlainObject } from './merge';
import { locate, Provenance } from './provenance';
import { buildConfigSchema, pluginSlots, TaskName, TASKS } from './schema';
import type { ExperimentConfig } from './types';

let compiled: { validate: ValidateFunction; plugins: string } | undefined;

/** The ajv validator of the experiment schema; compiled again only when the set of registered plugins changes. */
function validator(): ValidateFunction {
  const plugins = pluginSlots()
    .map((slot) => slot.registry.names().join(','))
    .join(';');
  if (compiled?.plugins !== plugins) {
    const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true, discriminator: true, verbose: true });
    compiled = { validate: ajv.compile(buildConfigSchema()), plugins };
  }
  return compiled.validate;
}

/**
 * Validates a merged config (defaults are filled in) and returns it typed; a config without `task` is a
 * classification config, as every config was before detection.
 * Every problem is collected and thrown together as one ConfigError, each located by file, line and key path.
 */
export function validateConfig(merged: Record<string, unknown>, provenance: Provenance): ExperimentConfig {
  const config = 'task' in merged ? merged : { task: 'classification', ...merged };
  const issues = unknownPluginNames(config);
  const validate = validator();
  if (!validate(config)) {
    const unknownTypeSlots = new Set(issues.map((issue) => issue.path.replace(/\.type$/, '')));
    for (const error of validate.errors ?? []) {
      const issue = describe(error);
      if (!issue || [...unknownTypeSlots].some((slot) => issue.path.startsWith(slot))) continue;
      if (!issues.some((known) => known.path === issue.path && known.message === issue.message)) issues.push(issue);
    }
  }
  if (!issues.length) issues.push(...relatedKeyIssues(config as unknown as ExperimentConfig));
  if (issues.length) {
    throw new ConfigError(issues.map((issue) => ({ ...locate(provenance, issue.path), ...issue })));
  }
  return config as unknown as ExperimentConfig;
}

/** Rules between keys that the schema cannot state; run on a config the schema accepted. */
function relatedKeyIssues(config: ExperimentConfig): ConfigIssue[] {
  const { batchSize, accumulate } = config.train;
  if (batchSize % accumulate === 0) return [];
  return [
    {
      path: 'train.accumulate',
      message: `${accumulate} does not divide train.batchSize ${batchSize} into equal micro-batches; use one of ${divisors(batchSize).join(', ')}`,
    },
  ];
}

/** The divisors of a positive integer, ascending: divisors(12) = [1, 2, 3, 4, 6, 12]. */
export function divisors(n: number): number[] {
  const low: number[] = [];
  const high: number[] = [];
  for (let k = 1; k * k <= n; k++) {
    if (n % k !== 0) continue;
    low.push(k);
    if (k * k !== n) high.unshift(n / k);
  }
  return [...low, ...high];
}

/** Plugin `type` names not in their registry (those of the config's task), with a did-you-mean suggestion. */
function unknownPluginNames(config: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const task = TASKS.find((name) => name === config.task) as TaskName | undefined;
  if (!task) return issues; // the schema reports the task itself
  for (const slot of pluginSlots(task)) {
    for (const { value, path } of valuesAt(config, slot.path.split('.'), '')) {
      if (!isPlainObject(value) || value.type === undefined) continue;
      const issue = slot.registry.checkName(value.type, `${path}.type`);
      if (issue) issues.push(issue);
    }
  }
  return issues;
}

function valuesAt(node: unknown, keys: string[], at: string): { value: unknown; path: string }[] {
  if (keys.length === 0) return [{ value: node, path: at }];
  const [key, ...rest] = keys;
  const join = (k: string | number) => (at ? `${at}.${k}` : String(k));
  if (key === '[]') return Array.isArray(node) ? node.flatMap((item, i) => valuesAt(item, rest, join(i))) : [];
  return isPlainObject(node) && key in node ? valuesAt(node[key], rest, join(key)) : [];
}

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** One readable line per ajv error; undefined for errors that only repeat another one. */
function describe(error: ErrorObject): ConfigIssue | undefined {
  const path = dotted(error.instancePath);
  const child = (key: string) => (path ? `${path}.${key}` : key);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = error.params.additionalProperty as string;
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const guess = allowed.length ? closest(key, allowed) : undefined;
      return {
        path: child(key),
        message: `unknown key '${key}'${guess ? `; did you mean '${guess}'?` : ''} allowed: ${allowed.join(', ')}`,
      };
    }
    case 'required':
      return { path: child(error.params.missingProperty as string), message: 'missing required key' };
    case 'type':
      return { path, message: `expected ${error.params.type}, got ${show(error.data)}` };
    case 'enum':
      return {
        path,
        message: `expected one of ${(error.params.allowedValues as unknown[]).map(show).join(', ')}, got ${show(error.data)}`,
      };
    case 'const':
      return undefined; // the discriminator's own tag check; unknown names are reported by unknownPluginNames
    case 'discriminator':
      // `task` is reported by its enum; for plugins, 'tag': no string type; 'mapping': a name no plugin has
      // (user-written names are caught earlier with a suggestion).
      if (error.params.tag !== 'type') return undefined;
      return {
        path: child('type'),
        message: error.params.error === 'tag' ? 'must be a string naming a plugin' : `unknown plugin ${show(error.params.tagValue)}`,
      };
    case 'oneOf':
      return undefined; // reported through the branch errors
    default:
      return { path, message: `${error.message ?? 'is invalid'}, got ${show(error.data)}` };
  }
}
