import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Why the Slurm tests cannot run here, or undefined when they can (the daemons installed, and root to start them). */
export function slurmMissing(): string | undefined {
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch'].filter(
    (command) => spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`]).status !== 0,
  );
  if (missing.length) return `Slurm tests skipped: ${missing.join(', ')} not installed (apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'Slurm tests skipped: starting slurmctld and slurmd needs root';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface SlurmCluster {
  /** The environment Slurm's commands need (SLURM_CONF) on top of this process's. */
  env: NodeJS.ProcessEnv;
  /** Cancels the jobs still there, waits for them to end, then stops the daemons. */
  stop(): Promise<void>;
}

/**
 * A one-node Slurm cluster of this machine (2 CPUs) in a temporary folder: munged on its own socket and key,
 * then slurmctld and slurmd with a minimal slurm.conf on free ports, as Debian's slurm-wlm runs them in a container.
 * `stop` ends the three daemons by their pids.
 */
export async function startSlurm(): Promise<SlurmCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-slurm-'));
  const file = (name: string) => path.join(dir, name);
  const host = os.hostname().split('.')[0];
  const [controllerPort, nodePort] = [await freePort(), await freePort()];
  fs.mkdirSync(file('state'));
  fs.mkdirSync(file('spool'));
  fs.writeFileSync(file('munge.key'), Buffer.alloc(1024, 7), { mode: 0o600 });
  fs.writeFileSync(
    file('slurm.conf'),
    [
      'ClusterName=acaftest',
      `SlurmctldHost=${host}`,
      `SlurmctldPort=${controllerPort}`,
      `SlurmdPort=${nodePort}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${file('munge.socket')}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${file('state')}`,
      `SlurmdSpoolDir=${file('spool')}`,
      `SlurmctldPidFile=${file('slurmctld.pid')}`,
      `SlurmdPidFile=${file('slurmd.pid')}`,
      `SlurmctldLogFile=${file('slurmctld.log')}`,
      `SlurmdLogFile=${file('slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      // a task sent SIGTERM has this long to checkpoint before SIGKILL
      'KillWait=30',
      `NodeName=${host} CPUs=2 State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: file('slurm.conf') };
  const pids: number[] = [];
  const stopDaemons = () => {
    for (const pid of pids.reverse()) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  const start = (command: string, args: string[], pidFile: string) => {
    const result = spawnSync(command, args, { env, encoding: 'utf8' });
    if (result.status !== 0) {
      stopDaemons();
      throw new Error(`${command} did not start: ${result.stderr}${readIfThere(file(`${path.basename(command)}.log`))}`);
    }
    pids.push(Number(waitForFile(pidFile).trim()));
  };
  start(
    'munged',
    [
      '--force',
      `--socket=${file('munge.socket')}`,
      `--key-file=${file('munge.key')}`,
      `--pid-file=${file('munged.pid')}`,
      `--log-file=${file('munged.log')}`,
      `--seed-file=${file('munged.seed')}`,
    ],
    file('munged.pid'),
  );
  start('slurmctld', ['-i'], file('slurmctld.pid'));
  start('slurmd', [], file('slurmd.pid'));
  // the node registers with the controller within a second or two
  for (let attempt = 0; ; attempt++) {
    const state = spawnSync('sinfo', ['--noheader', '--format', '%t'], { env, encoding: 'utf8' }).stdout.trim();
    if (state === 'idle') break;
    if (attempt > 100) {
      stopDaemons();
      throw new Error(`the Slurm node did not come up (state '${state}'): ${readIfThere(file('slurmd.log'))}`);
    }
    spawnSync('sleep', ['0.1']);
  }
  const stop = async () => {
    // a task left running would outlive its daemons
    spawnSync('scancel', ['--user', 'root'], { env });
    for (let waited = 0; waited < 60000 && spawnSync('squeue', ['--noheader'], { env, encoding: 'utf8' }).stdout.trim(); waited += 200)
      await new Promise((resolve) => setTimeout(resolve, 200));
    stopDaemons();
  };
  return { env, stop };
}

function waitForFile(file: string): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const text = readIfThere(file);
    if (text.trim()) return text;
    spawnSync('sleep', ['0.05']);
  }
  throw new Error(`${file} did not appear`);
}

function readIfThere(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}
