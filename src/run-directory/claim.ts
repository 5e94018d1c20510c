import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AcafError } from '../errors';

/** Who holds a claim: written into the claim file, shown to whoever finds the cell taken. */
export interface ClaimHolder {
  host: string;
  pid: number;
  startedAt: string;
  /** `<array job>_<task>` or `<job>` when the holder is a Slurm task. */
  slurmJob?: string;
  /** Tells this claim from a later one by the same host and pid. */
  token: string;
}

/** The exit code of a run that found its cell claimed by a live process (EX_TEMPFAIL: "try again later"). */
export const CLAIM_HELD_EXIT = 75;

export interface Claim {
  holder: ClaimHolder;
  release(): void;
}

/**
 * The claim file of one matrix cell: `<output.dir>/<name>/claim-<digest>.json`, the digest being that of the
 * resolved config (as config.yaml records it). A cell, not a run directory, is claimed: two processes starting the
 * same cell at once would otherwise each create their own timestamped directory.
 */
export function claimFile(cellFolder: string, configYaml: string): string {
  const digest = createHash('sha256').update(configYaml).digest('hex').slice(0, 12);
  return path.join(cellFolder, `claim-${digest}.json`);
}

/** This process as a claim holder. */
function thisProcess(): ClaimHolder {
  return {
    host: os.hostname(),
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...(slurmJob() ? { slurmJob: slurmJob() } : {}),
    token: randomBytes(8).toString('hex'),
  };
}

function slurmJob(): string | undefined {
  const { SLURM_ARRAY_JOB_ID: arrayJob, SLURM_ARRAY_TASK_ID: task, SLURM_JOB_ID: job } = process.env;
  return arrayJob && task ? `${arrayJob}_${task}` : job;
}

export function readClaim(file: string): ClaimHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ClaimHolder;
  } catch {
    return undefined; // gone (released) or not ours to read
  }
}

/**
 * Whether the holder can no longer be running the cell: a process on this host that is gone, or, on another host,
 * an earlier incarnation of this very Slurm task (a requeued task keeps its job id and Slurm ends the old one
 * first). Any other holder on another host is taken to be alive: only its own host could tell.
 */
export function isStale(holder: ClaimHolder): boolean {
  const ours = thisProcess();
  if (holder.host !== ours.host) return holder.slurmJob !== undefined && holder.slurmJob === ours.slurmJob;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function describeHolder(holder: ClaimHolder): string {
  return `pid ${holder.pid} on ${holder.host}${holder.slurmJob ? ` (Slurm job ${holder.slurmJob})` : ''} since ${holder.startedAt}`;
}

/** Claims released at exit if the code that took them could not (an exception thrown past them, process.exit). */
const held = new Map<string, ClaimHolder>();
process.on('exit', () => held.forEach((holder, file) => release(file, holder)));

/**
 * Claims a cell atomically on a shared filesystem: the complete claim file is hard-linked into place, which fails
 * when the file exists (the same guarantee as O_EXCL, and a reader never sees a half-written claim). A stale claim
 * is taken over with a message through `say`. Returns the claim, or the live holder when another process has it.
 */
export function claimCell(file: string, say: (line: string) => void): Claim | { heldBy: ClaimHolder } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const holder = thisProcess();
  const draft = `${file}.${holder.token}.tmp`;
  fs.writeFileSync(draft, `${JSON.stringify(holder)}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(draft, file);
        held.set(file, holder);
        return { holder, release: () => release(file, holder) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new AcafError(`cannot claim ${file}: ${(error as Error).message}`);
      }
      const current = readClaim(file);
      if (!current) continue; // released in between: try again
      if (!isStale(current)) return { heldBy: current };
      if (takeOver(file, current)) say(`taking over the stale claim of ${describeHolder(current)} (that process is gone): ${file}`);
    }
    throw new AcafError(`cannot claim ${file}: other processes keep claiming it`);
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/**
 * Removes a stale claim so the next link can succeed. The file is first renamed aside (atomic: of two processes
 * doing this only one succeeds); if what was moved is not the stale claim that was judged (another process took
 * the cell in between), it is linked back.
 */
function takeOver(file: string, stale: ClaimHolder): boolean {
  const aside = `${file}.${randomBytes(8).toString('hex')}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = readClaim(aside);
  try {
    if (moved?.token === stale.token) return true;
    fs.linkSync(aside, file);
    return false;
  } catch {
    return false;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/** Removes the claim file if it is still this holder's (a taken-over claim belongs to its new holder). */
function release(file: string, holder: ClaimHolder): void {
  held.delete(file);
  if (readClaim(file)?.token === holder.token) fs.rmSync(file, { force: true });
}
