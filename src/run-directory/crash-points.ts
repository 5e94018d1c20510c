/** The points of a checkpoint save where a test may kill the process (see saveCheckpoint). */
export type CrashPoint = 'model-written' | 'state-written' | 'staged' | 'moved-aside' | 'published';

let reached = 0;

/**
 * Test hook for crash safety: with `ACAF_TEST_KILL_AT=<point>:<n>` the process kills itself (SIGKILL, as a power
 * cut or the OOM killer would) the n-th time a checkpoint save reaches `<point>`. Unset, this does nothing.
 */
export function crashPoint(point: CrashPoint): void {
  const target = process.env.ACAF_TEST_KILL_AT;
  if (!target) return;
  const [name, count] = target.split(':');
  if (name === point && ++reached === Number(count ?? 1)) process.kill(process.pid, 'SIGKILL');
}
