/** Child-process entry of runIsolated: measures the spec given as JSON in argv[2] and sends the outcome back. */
import '../plugins';
import { timeTrainingSteps, type TrainingBenchSpec } from './training-step-timer';
import type { IsolatedOutcome } from './isolated-run';

const spec = JSON.parse(process.argv[2]) as TrainingBenchSpec;
void timeTrainingSteps(spec)
  .then((result): IsolatedOutcome => ({ ok: true, result }))
  .catch((error: Error): IsolatedOutcome => ({ ok: false, reason: error.message.split('\n')[0] }))
  .then((outcome) => process.send!(outcome, () => process.exit(0)));
