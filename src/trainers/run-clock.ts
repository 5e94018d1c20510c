/**
 * The time left in a run, from what it has measured so far: seconds per training step from the first step on, and
 * seconds per evaluation once one has run (before that, evaluations count as free). Training and evaluation are
 * timed apart, so a slow evaluation does not make the step rate look slow, nor the other way round.
 */
export class RunClock {
  private trainSeconds = 0;
  private stepsDone = 0;
  private evaluationSeconds = 0;
  private evaluationsDone = 0;
  private mark: number;
  private evaluating = false;

  constructor(
    private readonly totalSteps: number,
    private readonly totalEvaluations: number,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.mark = now();
  }

  /** A training step has ended (the time since the last mark was training, data loading included). */
  step(): void {
    this.trainSeconds += this.lap();
    this.stepsDone++;
  }

  /** An evaluation has started: the time since the last step was still training. */
  evaluationStarted(): void {
    if (this.evaluating) return;
    this.trainSeconds += this.lap();
    this.evaluating = true;
  }

  /** An epoch has ended, with or without an evaluation. */
  epochEnded(): void {
    if (this.evaluating) {
      this.evaluationSeconds += this.lap();
      this.evaluationsDone++;
      this.evaluating = false;
    } else this.trainSeconds += this.lap();
  }

  /** Seconds left, or undefined before the first step. */
  secondsLeft(): number | undefined {
    if (!this.stepsDone) return undefined;
    const perStep = this.trainSeconds / this.stepsDone;
    const perEvaluation = this.evaluationsDone ? this.evaluationSeconds / this.evaluationsDone : 0;
    const evaluationsLeft = Math.max(0, this.totalEvaluations - this.evaluationsDone - (this.evaluating ? 1 : 0));
    return Math.max(0, this.totalSteps - this.stepsDone) * perStep + evaluationsLeft * perEvaluation;
  }

  private lap(): number {
    const now = this.now();
    const seconds = now - this.mark;
    this.mark = now;
    return seconds;
  }
}

/** `45s`, `12m05s`, `3h07m`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
