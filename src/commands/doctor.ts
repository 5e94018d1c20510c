import { Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { textTable } from '../cli/text-table';
import { machineReport, MachineReport } from '../doctor/machine-report';

export default class Doctor extends AcafCommand {
  static override description =
    'Say what this machine can do and why: Node, each backend (usable, or the exact reason and what to do), wasm SIMD and threads, CPU cores, memory, where each dataset is found (or the command that fetches it), Slurm';
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json'];
  static override flags = {
    json: Flags.boolean({ description: 'print the report as one JSON object', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const report = await machineReport(process.cwd());
    if (flags.json) this.log(JSON.stringify(report, null, 2));
    else this.log(formatReport(report));
  }
}

const mark = (ok: boolean) => (ok ? 'ok' : 'no');

function formatReport(report: MachineReport): string {
  const backendRows = report.backends.flatMap((check) => [
    [check.name, mark(check.usable), check.detail],
    ...(check.fix ? [['', '', `to use it: ${check.fix}`]] : []),
  ]);
  const datasetRows = report.datasets.flatMap((check) => [
    [
      check.name,
      mark(check.found),
      check.found ? check.detail : check.detail.replace(`${check.name}: `, '').replace(/; run `acaf data fetch.*$/, ''),
    ],
    ...(check.fetch && !check.found ? [['', '', `get it: ${check.fetch}`]] : []),
  ]);
  return [
    `node      ${report.node} (${report.platform})`,
    `cpu       ${report.cpu.cores} cores, ${report.cpu.model}`,
    `memory    ${report.memory.totalGiB} GiB (${report.memory.freeGiB} GiB free)`,
    `wasm      SIMD ${report.wasm.simd ? 'yes' : 'no'}, ${report.wasm.threads} thread${report.wasm.threads === 1 ? '' : 's'} (${report.wasm.threadsFrom === 'ACAF_WASM_THREADS' ? 'from ACAF_WASM_THREADS' : 'set ACAF_WASM_THREADS for more'})`,
    `          kernels ${report.wasm.kernelSources.join(' + ')}; native kernels: ${report.wasm.native}`,
    `slurm     ${report.slurm ? `${report.slurm.version} (${report.slurm.sbatch})` : 'not found (no sbatch on PATH)'}`,
    '',
    `backends (backend: auto trains with ${report.auto ?? 'none of them'}):`,
    indent(textTable(['backend', 'usable', 'detail'], backendRows)),
    '',
    'datasets:',
    indent(textTable(['dataset', 'found', 'where'], datasetRows)),
  ].join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
