/** Child-process entry of runIsolated: runs the measurement given as JSON in argv[2] and sends the outcome back. */
import '../plugins';
import { timeEvaluation } from './evaluation-timer';
import type { IsolatedJob, IsolatedOutcome } from './isolated-run';
import { timeTrainingSteps } from './training-step-timer';

const measurements = { training: timeTrainingSteps, evaluation: timeEvaluation };

const { measure, spec } = JSON.parse(process.argv[2]) as IsolatedJob;
void measurements[measure](spec)
  .then((result): IsolatedOutcome<typeof result> => ({ ok: true, result }))
  .catch((error: Error): IsolatedOutcome<never> => ({ ok: false, reason: error.message.split('\n')[0] }))
  .then((outcome) => process.send!(outcome, () => process.exit(0)));
