import seedrandom from 'seedrandom';

/** alea's whole state: enough to continue the exact same sequence after a resume. */
export type RandomState = seedrandom.State.Alea;

/**
 * tfjs draws unseeded randomness (weight initialisers, dropout masks) from Math.random. For the length of a run
 * Math.random is a seeded alea generator, so one seed fixes initialisation and dropout; its state goes into
 * checkpoints. `restore()` puts the original Math.random back.
 */
export class SeededMathRandom {
  private readonly original = Math.random;
  private generator: seedrandom.StatefulPRNG<RandomState>;

  constructor(seed: number, state?: RandomState) {
    this.generator = seedrandom.alea(String(seed), { state: state ?? true });
    Math.random = () => this.generator();
  }

  state(): RandomState {
    return this.generator.state();
  }

  setState(state: RandomState): void {
    this.generator = seedrandom.alea('', { state });
  }

  restore(): void {
    Math.random = this.original;
  }
}
