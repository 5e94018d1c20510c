import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';

/** Writes `text` to `file` (creating its folder) or, without a file, to stdout. */
export function writeOutput(text: string, file: string | undefined): void {
  if (file === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new AcafError(`cannot write ${file}: ${(error as Error).message}`);
  }
}
