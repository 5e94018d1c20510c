import * as path from 'path';
import { stringify } from 'yaml';
import { ConfigError } from '../errors';
import { loadConfigFile } from './load';
import { expandMatrix } from './matrix';
import { applyOverrides, setAtPath } from './overrides';
import { applyProtocol, defaultProtocol } from './protocol';
import { validateConfig } from './validate';
import type { ExperimentConfig } from './types';

export type { ExperimentConfig, PlacementRule, BackendChoice } from './types';
export { buildConfigSchema, pluginSlots } from './schema';

export interface ResolveOptions {
  /** `key.path=value` overrides, applied after `extends` merging and before matrix expansion, in order. */
  set?: string[];
}

/**
 * YAML file -> resolved configs, one per run: reads the file and its `extends` chain, applies `--set` overrides,
 * names the config after its file when it has no `name`, expands `matrix:` into named runs, validates each
 * against the composed schema (defaults filled in) and applies its `protocol`. Plugins must be registered first (`import '../plugins'`).
 */
export function resolveExperiments(file: string, options: ResolveOptions = {}): ExperimentConfig[] {
  return resolveExperimentFile(file, options).runs;
}

/** As resolveExperiments, also telling whether the file declares a `matrix:`, and its name before the matrix suffixes. */
export function resolveExperimentFile(
  file: string,
  options: ResolveOptions = {},
): { runs: ExperimentConfig[]; matrix: boolean; name: string } {
  const { value, provenance } = loadConfigFile(file);
  applyOverrides(value, options.set ?? [], provenance);
  if (value.name === undefined) value.name = path.basename(file).replace(/\.ya?ml$/i, '');
  const { matrix, ...base } = value;
  const resolved: ExperimentConfig[] = [];
  const issues: ConfigError['issues'] = [];
  for (const entry of expandMatrix(matrix, provenance)) {
    const run = structuredClone(base);
    const runProvenance = new Map(provenance);
    for (const [keyPath, setting] of entry.settings) setAtPath(run, keyPath, structuredClone(setting), runProvenance, `matrix.${keyPath}`);
    // A name that is not text is left for validation to report.
    if (entry.suffix && typeof run.name === 'string') run.name = `${run.name}-${entry.suffix}`;
    defaultProtocol(run);
    try {
      // The protocol sets concrete keys; validating again fills the defaults of what it reset.
      resolved.push(validateConfig(applyProtocol(validateConfig(run, runProvenance)) as unknown as Record<string, unknown>, runProvenance));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) if (!issues.some((known) => JSON.stringify(known) === JSON.stringify(issue))) issues.push(issue);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  // Validated by now: a name that is not text was reported above.
  return { runs: resolved, matrix: matrix !== undefined, name: base.name as string };
}

/** Resolves a config that must describe a single run (no `matrix:`). */
export function resolveConfig(file: string, options: ResolveOptions = {}): ExperimentConfig {
  const runs = resolveExperiments(file, options);
  if (runs.length !== 1)
    throw new ConfigError([{ file, path: 'matrix', message: `expands to ${runs.length} runs where one was expected` }]);
  return runs[0];
}

/** Resolves every run of several config files, gathering every file's problems into one error. */
export function resolveConfigs(
  files: string[],
  options: ResolveOptions = {},
): { config: ExperimentConfig; fromMatrix: boolean; file: string }[] {
  const resolved: { config: ExperimentConfig; fromMatrix: boolean; file: string }[] = [];
  const issues: ConfigError['issues'] = [];
  for (const file of files) {
    try {
      const { runs, matrix } = resolveExperimentFile(file, options);
      resolved.push(...runs.map((config) => ({ config, fromMatrix: matrix, file })));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return resolved;
}

/**
 * The resolved config as the YAML a run records in its `config.yaml`. The `launcher:` settings say where a run
 * is sent, not what it computes: they are left out, so that a run is the same run whichever queue it went to.
 */
export function configToYaml(config: ExperimentConfig, options: { launcher?: boolean } = {}): string {
  const { launcher, ...recorded } = config;
  return stringify(options.launcher && launcher ? config : recorded, { lineWidth: 0 });
}
