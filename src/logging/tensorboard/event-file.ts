import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { crc32c } from '@aws-crypto/crc32c';
import * as protobuf from 'protobufjs';

/** TensorBoard's .proto files (proto/README.md), from both src/ and dist/. */
const PROTO_ROOT = path.join(__dirname, '..', '..', '..', 'proto');

let eventType: protobuf.Type | undefined;

/** The `tensorboard.Event` message type, loaded once; imports resolve from PROTO_ROOT as TensorBoard lays them out. */
function loadEventType(): protobuf.Type {
  if (!eventType) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_ROOT, target));
    eventType = root.loadSync('tensorboard/compat/proto/event.proto').lookupType('tensorboard.Event');
  }
  return eventType;
}

/** TFRecord's checksum: CRC32C rotated right by 15 bits plus a constant, so CRCs of CRCs stay well spread. */
function maskedCrc(data: Uint8Array): number {
  const crc = crc32c(data);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length (uint64 LE), its masked CRC, the data, the data's masked CRC. */
function tfRecord(data: Uint8Array): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  const lengthCrc = Buffer.alloc(4);
  lengthCrc.writeUInt32LE(maskedCrc(length));
  const dataCrc = Buffer.alloc(4);
  dataCrc.writeUInt32LE(maskedCrc(data));
  return Buffer.concat([length, lengthCrc, data, dataCrc]);
}

/** The parts of a HistogramProto: TensorBoard reads bucket i as (bucket_limit[i-1], bucket_limit[i]]. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** `values` in `buckets` equal-width buckets from their min to their max (one bucket when all are equal). */
export function histogramOf(values: ArrayLike<number>, buckets = 30): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
    sum += values[i];
    sumSquares += values[i] * values[i];
  }
  const count = max > min ? buckets : 1;
  const width = (max - min) / count;
  const bucketLimit = Array.from({ length: count }, (_, i) => (i === count - 1 ? max : min + width * (i + 1)));
  const bucket = new Array<number>(count).fill(0);
  for (let i = 0; i < values.length; i++) bucket[width > 0 ? Math.min(count - 1, Math.floor((values[i] - min) / width)) : 0]++;
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

/**
 * A TensorBoard event file (`events.out.tfevents.<time>.<host>`) in `dir`: every value is written and flushed as
 * it comes, so a crashed or interrupted run keeps all it logged. A resumed run adds a second file beside the first.
 */
export class EventFileWriter {
  readonly file: string;
  private fd: number;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.file = path.join(dir, `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}`);
    this.fd = fs.openSync(this.file, 'a');
    this.write({ step: 0, fileVersion: 'brain.Event:2', sourceMetadata: { writer: 'acaf' } });
  }

  scalars(step: number, values: Record<string, number>): void {
    const value = Object.entries(values)
      .filter(([, number]) => Number.isFinite(number))
      .map(([tag, simpleValue]) => ({ tag, simpleValue }));
    if (value.length) this.write({ step, summary: { value } });
  }

  histograms(step: number, histograms: Record<string, Histogram>): void {
    const value = Object.entries(histograms).map(([tag, histo]) => ({ tag, histo }));
    if (value.length) this.write({ step, summary: { value } });
  }

  /** A PNG image (colorspace 4: RGBA, as sharp and resvg write). */
  image(step: number, tag: string, png: { data: Buffer; width: number; height: number }): void {
    const image = { height: png.height, width: png.width, colorspace: 4, encodedImageString: png.data };
    this.write({ step, summary: { value: [{ tag, image }] } });
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private write(event: object): void {
    const type = loadEventType();
    const data = type.encode(type.fromObject({ wallTime: Date.now() / 1000, ...event })).finish();
    fs.writeSync(this.fd, tfRecord(data));
  }
}
