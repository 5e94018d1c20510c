import * as path from 'path';
import { stringify } from 'yaml';
import { ConfigError } from '../errors';
import { loadConfigFile } from './load';
import { applyOverrides } from './overrides';
import { validateConfig } from './validate';
import type { ExperimentConfig } from './types';

export type { ExperimentConfig, PlacementRule, BackendChoice } from './types';
export { buildConfigSchema, pluginSlots } from './schema';

export interface ResolveOptions {
  /** `key.path=value` overrides, applied after `extends` merging, in order. */
  set?: string[];
}

/**
 * YAML file -> resolved config: reads the file and its `extends` chain, applies `--set` overrides, names the
 * config after its file when it has no `name`, then validates it against the composed schema (defaults filled in).
 * Plugins must be registered first (`import '../plugins'`).
 */
export function resolveConfig(file: string, options: ResolveOptions = {}): ExperimentConfig {
  const { value, provenance } = loadConfigFile(file);
  applyOverrides(value, options.set ?? [], provenance);
  if (value.name === undefined) value.name = path.basename(file).replace(/\.ya?ml$/i, '');
  return validateConfig(value, provenance);
}

/** Resolves several configs, gathering every file's problems into one error. */
export function resolveConfigs(files: string[], options: ResolveOptions = {}): ExperimentConfig[] {
  const resolved: ExperimentConfig[] = [];
  const issues: ConfigError['issues'] = [];
  for (const file of files) {
    try {
      resolved.push(resolveConfig(file, options));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return resolved;
}

/** The resolved config as the YAML a run records in its `config.yaml`. */
export function configToYaml(config: ExperimentConfig): string {
  return stringify(config, { lineWidth: 0 });
}
