import sharp from 'sharp';
import { AcafError } from '../../errors';

/** Decodes a JPEG/PNG (any format sharp reads) to uint8 RGB HWC of exactly `size` = [height, width]. */
export async function decodeImageFile(file: string, size: [number, number]): Promise<Uint8Array> {
  try {
    const { data, info } = await sharp(file)
      .removeAlpha()
      .resize(size[1], size[0], { fit: 'fill' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    // toColourspace('srgb') turns greyscale into three channels, so this only fails on exotic inputs (CMYK...).
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    throw new AcafError(`${file}: cannot decode image (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Decodes many files with a few in flight at once (sharp decodes on its own thread pool). */
export async function decodeImageFiles(files: string[], size: [number, number], target: Uint8Array, parallel = 8): Promise<void> {
  const imageSize = size[0] * size[1] * 3;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      target.set(await decodeImageFile(files[index], size), index * imageSize);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, files.length) }, worker));
}
