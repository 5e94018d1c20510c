import * as fs from 'fs';
import { parse as parseYaml } from 'yaml';
import { configToYaml, type ExperimentConfig } from '../config';
import { isPlainObject } from '../config/merge';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { runPaths } from './layout';

/** Writes the resolved config a run trains as its config.yaml. */
export function writeRunConfig(dir: string, config: ExperimentConfig): void {
  writeFileAtomic(runPaths(dir).config, configToYaml(config));
}

/** Whether run directory `dir` recorded exactly this resolved config. */
export function recordsConfig(dir: string, config: ExperimentConfig): boolean {
  const file = runPaths(dir).config;
  return fs.existsSync(file) && fs.readFileSync(file, 'utf8') === configToYaml(config);
}

/** config.yaml of run directory `dir` as a plain map (reports read it without resolving it again). */
export function readRunConfigMap(dir: string): Record<string, unknown> {
  const file = runPaths(dir).config;
  let value: unknown;
  try {
    value = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isPlainObject(value)) throw new AcafError(`${file}: expected a YAML map`);
  return value;
}
