import * as fs from 'fs';
import type { Resvg as ResvgType } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';

// The plotting stack (vega, vega-lite, resvg, pdfkit) is loaded on first use: every command's module is loaded at
// start-up by oclif, and only plot and report draw.

/** Vega-lite spec -> SVG text, rendered headless (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Common sans-serif font files and their family names, tried in order (Debian/Ubuntu, Fedora/Alpine, Arch, macOS, Windows). */
const fontCandidates: [file: string, family: string][] = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'DejaVu Sans'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', 'DejaVu Sans'],
  ['/usr/share/fonts/TTF/DejaVuSans.ttf', 'DejaVu Sans'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', 'Liberation Sans'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', 'Arial'],
  ['C:\\Windows\\Fonts\\arial.ttf', 'Arial'],
];

const sansSerifFont = () => fontCandidates.find(([file]) => fs.existsSync(file));

/**
 * resvg draws text only with a font it has loaded. We load a known sans-serif file when one exists (fast, and the
 * same look everywhere), else let resvg scan the system fonts; with no font at all the PNG is still valid, only
 * without text.
 */
function fontOptions(): NonNullable<ConstructorParameters<typeof ResvgType>[1]>['font'] {
  const found = sansSerifFont();
  if (!found) return { loadSystemFonts: true };
  const [file, family] = found;
  return { loadSystemFonts: false, fontFiles: [file], defaultFontFamily: family, sansSerifFamily: family };
}

/** SVG text -> PNG bytes, scaled by `scale` (2 = twice the SVG's pixel size, sharp on high-DPI screens and in papers). */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: fontOptions(), background: 'white' });
  return resvg.render().asPng();
}

/**
 * SVG text -> a one-page vector PDF, one point per SVG pixel (vega's own PDF output needs node-canvas, whose binary is not
 * on the npm registry). Text is set in the sans-serif font that the PNGs use, else PDF's built-in Helvetica.
 */
export async function svgToPdf(svg: string): Promise<Buffer> {
  const [{ default: PDFDocument }, { default: svgToPdfKit }] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit')]);
  const [, width, height] = svg.match(/^<svg[^>]* width="([\d.]+)" height="([\d.]+)"/)?.map(Number) ?? [];
  if (!width || !height) throw new Error('svgToPdf: the SVG has no width and height');
  const doc = new PDFDocument({ size: [width, height], margin: 0 });
  const font = sansSerifFont();
  if (font) doc.registerFont('sans', font[0]);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', resolve));
  svgToPdfKit(doc, withoutGaplessDashes(svg), 0, 0, { width, height, assumePt: true, fontCallback: () => (font ? 'sans' : 'Helvetica') });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** Drops dash patterns without gaps (vega's solid `1,0`): they draw a solid line, and PDFKit rejects a zero length. */
function withoutGaplessDashes(svg: string): string {
  return svg.replace(/ stroke-dasharray="([^"]*)"/g, (attribute, pattern: string) => {
    const gaps = pattern.split(/[\s,]+/).filter((_, index) => index % 2 === 1);
    return gaps.every((gap) => Number(gap) === 0) ? '' : attribute;
  });
}
