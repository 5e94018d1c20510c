import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { AcafError } from '../errors';
import type { RgbImage } from './types';

/** Decodes a JPEG/PNG (any format sharp reads) to RGB bytes; greyscale is expanded and alpha dropped. */
export async function readRgbImage(file: string): Promise<RgbImage> {
  if (!fs.existsSync(file)) throw new AcafError(`missing image file ${file}`);
  try {
    const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion to RGB`);
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (error) {
    throw new AcafError(`cannot decode image ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Encodes an RGB image as JPEG (quality 95) or PNG, chosen by the file's extension. */
export async function writeRgbImage(file: string, image: RgbImage): Promise<void> {
  const encoder = sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.length), {
    raw: { width: image.width, height: image.height, channels: 3 },
  });
  const extension = path.extname(file).toLowerCase();
  if (extension === '.png') await encoder.png().toFile(file);
  else if (extension === '.jpg' || extension === '.jpeg') await encoder.jpeg({ quality: 95 }).toFile(file);
  else throw new AcafError(`cannot write image ${file}: use a .jpg or .png name`);
}
