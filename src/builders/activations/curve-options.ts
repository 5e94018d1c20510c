import { AcafError } from '../../errors';
import type { CurveRange } from './inspect';

/** `--param a=2 --param c=0.5` (acaf activations shape) as `{ a: 2, c: 0.5 }`. */
export function parseParameterValues(params: string[]): Record<string, number> {
  return Object.fromEntries(
    params.map((param) => {
      const match = /^([A-Za-z_][\w-]*)=(.+)$/.exec(param);
      const value = Number(match?.[2]);
      if (!match || !Number.isFinite(value)) throw new AcafError(`--param ${param}: expected name=number, e.g. a=2`, 2);
      return [match[1], value];
    }),
  );
}

/** `--range -5,5,101` as a z grid. */
export function parseRange(range: string): CurveRange {
  const [from, to, points] = range.split(',').map(Number);
  if (range.split(',').length !== 3 || ![from, to, points].every(Number.isFinite)) {
    throw new AcafError(`--range ${range}: expected from,to,points, e.g. -5,5,101`, 2);
  }
  return { from, to, points };
}
