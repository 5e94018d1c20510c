import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { resolveSweep, Sweep } from './cells';
import { Manifest, MANIFEST, readManifest } from './manifest';

/**
 * A sweep named by its config file (with --set overrides) or by its folder `<output.dir>/<name>/`, whose
 * sweep.json names the config and overrides it was submitted with; with the manifest, if it was ever submitted.
 */
export function locateSweep(target: string, set: string[]): { sweep: Sweep; manifest?: Manifest } {
  if (!fs.existsSync(target)) throw new AcafError(`no such file or directory: ${target}`, 2);
  if (!fs.statSync(target).isDirectory()) {
    const sweep = resolveSweep(target, set);
    return { sweep, manifest: readManifest(sweep.folder) };
  }
  const manifest = readManifest(target);
  if (!manifest) throw new AcafError(`${target}: no ${MANIFEST} (not a submitted sweep); give its config file instead`, 2);
  if (!fs.existsSync(manifest.config))
    throw new AcafError(`${path.join(target, MANIFEST)}: its config ${manifest.config} is gone; give the config file instead`);
  return { sweep: resolveSweep(manifest.config, [...manifest.set, ...set]), manifest };
}
