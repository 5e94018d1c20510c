import sharp from 'sharp';
import type { BoxAnnotations, ImageDetections, RgbImage } from './types';

/** What to draw on one image: its detections (image pixels), its ground truth if known, the class names. */
export interface DrawnImage {
  image: RgbImage;
  detections: ImageDetections;
  truth?: BoxAnnotations;
  classes: string[];
  /** Detections scoring below this are not drawn. */
  minScore: number;
}

/** Small images are enlarged (nearest neighbour, whole factors) until the longer side reaches this, so labels are legible. */
const MIN_SIDE = 384;

/** Distinct hues for classes, dark enough for white label text; boxes get a black outline to stand out on any background. */
const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Box k of `boxes` ([x1, y1, x2, y2] each) as [x, y, width, height], scaled. */
function cornersToRect(boxes: Float32Array, k: number, scale: number): [number, number, number, number] {
  const [x1, y1, x2, y2] = Array.from(boxes.subarray(4 * k, 4 * k + 4), (v) => v * scale);
  return [x1, y1, x2 - x1, y2 - y1];
}

/**
 * The image as PNG with the ground truth as dashed white-on-black boxes and each detection as a box in its class's
 * colour, labelled "class score" (the highest-scoring drawn last, so on top).
 */
export async function drawDetections({ image, detections, truth, classes, minScore }: DrawnImage): Promise<Buffer> {
  const scale = Math.max(1, Math.ceil(MIN_SIDE / Math.max(image.width, image.height)));
  const [width, height] = [image.width * scale, image.height * scale];
  const font = Math.max(11, Math.round(Math.max(width, height) / 40));
  const truthSvg = Array.from({ length: truth ? truth.labels.length : 0 }, (_, k) => {
    const [x, y, w, h] = cornersToRect(truth!.boxes, k, scale);
    return [
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="black" stroke-width="3"/>`,
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="white" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    ].join('');
  });
  const order = Array.from(detections.scores.keys())
    .filter((k) => detections.scores[k] >= minScore)
    .sort((a, b) => detections.scores[a] - detections.scores[b]);
  const detectionSvg = order.map((k) => {
    const [x, y, w, h] = cornersToRect(detections.boxes, k, scale);
    const colour = PALETTE[detections.labels[k] % PALETTE.length];
    const label = `${classes[detections.labels[k]] ?? detections.labels[k]} ${detections.scores[k].toFixed(2)}`;
    const labelY = y >= font + 2 ? y - font - 2 : y; // above the box, or inside it at the top edge
    return [
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="black" stroke-width="4"/>`,
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      `<rect x="${x}" y="${labelY}" width="${label.length * font * 0.6 + 4}" height="${font + 2}" fill="${colour}"/>`,
      `<text x="${x + 2}" y="${labelY + font - 1}" font-family="DejaVu Sans, sans-serif" font-size="${font}" fill="white">${escapeXml(label)}</text>`,
    ].join('');
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${truthSvg.join('')}${detectionSvg.join('')}</svg>`;
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const enlarged = await sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.length), raw)
    .resize(width, height, { kernel: 'nearest' })
    .toBuffer();
  return sharp(enlarged, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
}
