import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import type { Figure } from './figures';
import { renderSvg, svgToPdf, svgToPng } from './render';

export const figureFormats = ['svg', 'png', 'pdf', 'json'] as const;
export type FigureFormat = (typeof figureFormats)[number];

/** Checks `--format svg,png` against the known formats. */
export function parseFigureFormats(text: string): FigureFormat[] {
  const formats = text
    .split(',')
    .map((format) => format.trim())
    .filter(Boolean);
  for (const format of formats) {
    if (!(figureFormats as readonly string[]).includes(format)) {
      throw new AcafError(`--format: unknown figure format '${format}'; any of: ${figureFormats.join(', ')}`, 2);
    }
  }
  if (!formats.length) throw new AcafError(`--format: give at least one of: ${figureFormats.join(', ')}`, 2);
  return formats as FigureFormat[];
}

/**
 * Writes each figure to `dir` as `<name>.svg`, `<name>.png`, `<name>.pdf` (vector, for papers) and/or
 * `<name>.vl.json` (the vega-lite spec, data included, to restyle or re-render elsewhere). Returns the files written.
 */
export async function writeFigures(figures: Figure[], dir: string, formats: FigureFormat[]): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (file: string, content: string | Buffer) => {
    const target = path.join(dir, file);
    writeFileAtomic(target, content);
    written.push(target);
  };
  for (const figure of figures) {
    if (formats.includes('json')) write(`${figure.name}.vl.json`, `${JSON.stringify(figure.spec, null, 2)}\n`);
    if (formats.every((format) => format === 'json')) continue;
    const svg = await renderSvg(figure.spec);
    if (formats.includes('svg')) write(`${figure.name}.svg`, svg);
    if (formats.includes('png')) write(`${figure.name}.png`, await svgToPng(svg));
    if (formats.includes('pdf')) write(`${figure.name}.pdf`, await svgToPdf(svg));
  }
  return written;
}
