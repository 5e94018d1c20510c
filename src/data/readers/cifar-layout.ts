/** CIFAR stores each image as 1024 red, then 1024 green, then 1024 blue bytes (CHW); acaf keeps HWC. */
export const CIFAR_SHAPE: [number, number, number] = [32, 32, 3];
export const CIFAR_IMAGE_BYTES = 32 * 32 * 3;

/** Copies one CHW image from `source` at `from` into `target` at `to` as HWC. */
export function cifarChwToHwc(source: Uint8Array, from: number, target: Uint8Array, to: number): void {
  const plane = 32 * 32;
  for (let pixel = 0; pixel < plane; pixel++) {
    target[to + pixel * 3] = source[from + pixel];
    target[to + pixel * 3 + 1] = source[from + plane + pixel];
    target[to + pixel * 3 + 2] = source[from + 2 * plane + pixel];
  }
}
