import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import * as protobuf from 'protobufjs';
import '../src/plugins';
import { validateConfig } from '../src/config/validate';
import type { ProgressReporter } from '../src/trainers/progress';
import { runExperiment } from '../src/trainers/run-experiment';

/**
 * The event files are read back here by a reader of the test's own: TFRecord framing and the masked CRC32C written
 * from their specifications (the CRC checked against the catalogue's check value), the top-level field numbers
 * checked on the raw bytes against TensorFlow's event.proto, and the messages decoded with protobufjs from the
 * .proto definitions. The expected values come from metrics.csv, activations.csv and the model's weight counts.
 */

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit. */
function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's mask: rotate right by 15, add 0xa282ead8. */
const masked = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;

function readRecords(file: string): Buffer[] {
  const bytes = fs.readFileSync(file);
  const records: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const header = bytes.subarray(offset, offset + 8);
    const length = Number(header.readBigUInt64LE());
    expect(bytes.readUInt32LE(offset + 8)).toBe(masked(crc32c(header)));
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    expect(bytes.readUInt32LE(offset + 12 + length)).toBe(masked(crc32c(data)));
    records.push(data);
    offset += 12 + length + 4;
  }
  return records;
}

/** The field numbers at the top level of a protobuf message, read from the wire format directly. */
function topLevelFields(data: Uint8Array): number[] {
  const fields: number[] = [];
  let offset = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = data[offset++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (offset < data.length) {
    const key = varint();
    fields.push(Math.floor(key / 8));
    const wireType = key % 8;
    if (wireType === 0) varint();
    else if (wireType === 1) offset += 8;
    else if (wireType === 2) {
      const length = varint();
      offset += length;
    } else if (wireType === 5) offset += 4;
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return fields;
}

function eventType(): protobuf.Type {
  const protoRoot = path.join(__dirname, '..', 'proto');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoRoot, target));
  return root.loadSync('tensorboard/compat/proto/event.proto').lookupType('tensorboard.Event');
}

interface DecodedValue {
  tag: string;
  simpleValue?: number;
  histo?: { num: number; min: number; max: number; bucket: number[]; bucketLimit: number[] };
  image?: { width: number; height: number; colorspace: number; encodedImageString: Buffer };
}
interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: DecodedValue[] };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-tensorboard-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the CRC32C of the test reader gives the catalogue check value', () => {
  expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
});

test('a short wasm run writes TensorBoard events: per-step and per-epoch scalars, activation parameters, histograms, curves', async () => {
  const epochs = 2;
  const config = validateConfig(
    {
      name: 'tensorboard',
      backend: 'wasm',
      output: { dir: path.join(work, 'runs') },
      logging: { tensorboard: true },
      data: { type: 'synthetic', shape: [6, 6, 1], classCount: 3, train: 48, test: 24 },
      model: { network: { type: 'mlp', hiddenUnits: [8, 8] }, activation: { type: 'at' } },
      train: { epochs, batchSize: 16, optimizer: { type: 'adam' }, schedule: { type: 'cosine' } },
    },
    new Map(),
  );
  const quiet = (): void => undefined;
  const reporter: ProgressReporter = {
    start: quiet,
    step: quiet,
    evaluating: quiet,
    epoch: quiet,
    warn: (line) => {
      throw new Error(line);
    },
    finish: quiet,
  };
  const dir = await runExperiment(config, { reporter });

  const files = fs.readdirSync(path.join(dir, 'tensorboard'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\./);
  const records = readRecords(path.join(dir, 'tensorboard', files[0]));
  const Event = eventType();
  const events = records.map(
    (data) => Event.toObject(Event.decode(data), { longs: Number, bytes: Buffer, defaults: true }) as DecodedEvent,
  );

  // event.proto: wall_time = 1, step = 2, file_version = 3, summary = 5.
  expect(events[0].fileVersion).toBe('brain.Event:2');
  expect(topLevelFields(records[0])).toEqual(expect.arrayContaining([1, 3]));
  expect(topLevelFields(records[records.length - 1])).toEqual([1, 2, 5]);
  expect(events.every((event) => Math.abs(event.wallTime - Date.now() / 1000) < 600)).toBe(true);

  const values = events.flatMap((event) => (event.summary?.value ?? []).map((value) => ({ step: event.step, ...value })));
  const series = (tag: string) => values.filter((value) => value.tag === tag);
  const scalars = (tag: string) => series(tag).map((value) => [value.step, value.simpleValue]);

  // Per step: 48 images / 16 = 3 steps an epoch, at global steps 1..6; the lr follows the cosine schedule.
  expect(scalars('batch/train_loss').map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(series('batch/train_accuracy').every(({ simpleValue }) => simpleValue! >= 0 && simpleValue! <= 1)).toBe(true);
  expect(scalars('batch/lr')[0][1]).toBeCloseTo(config.train.optimizer.lr, 6);

  // Per epoch: exactly metrics.csv's values (float32 in the event).
  const metrics = parse(fs.readFileSync(path.join(dir, 'metrics.csv')), { columns: true, cast: true }) as Record<string, number>[];
  for (const column of ['lr', 'train_loss', 'train_accuracy', 'test_loss', 'test_accuracy', 'seconds']) {
    const expected = metrics.map((row) => [row.epoch, Math.fround(row[column])]);
    const logged = scalars(`epoch/${column}`).map(([step, value]) => [step, value]);
    expect(logged.length).toBe(epochs);
    logged.forEach(([step, value], i) => {
      expect(step).toBe(expected[i][0]);
      expect(value).toBeCloseTo(expected[i][1]!, 5);
    });
  }

  // Each adaptive site's parameters, epochs 0 (initial) to 2, as activations.csv has them.
  const activations = parse(fs.readFileSync(path.join(dir, 'activations.csv')), { columns: true, cast: true }) as Record<
    string,
    number | string
  >[];
  const sites = [...new Set(activations.map((row) => row.site as string))];
  expect(sites.length).toBeGreaterThanOrEqual(2);
  for (const row of activations) {
    for (const parameter of ['a', 'b', 'c', 'd']) {
      const logged = series(`activations/${row.site}/${parameter}`).find((value) => value.step === row.epoch);
      expect(logged?.simpleValue).toBeCloseTo(row[parameter] as number, 5);
    }
  }

  // A histogram of every weight at every epoch: the buckets count every value once.
  const histograms = values.filter((value) => value.tag.startsWith('parameters/'));
  const weightTags = [...new Set(histograms.map((value) => value.tag))];
  // mlp [8, 8] on 36 inputs: 3 dense layers (kernel + bias) and 4 parameters of each of 2 activation sites.
  expect(weightTags.length).toBe(6 + 8);
  for (const { histo, tag } of histograms) {
    expect(histo!.bucket.reduce((sum, count) => sum + count, 0)).toBe(histo!.num);
    expect(histo!.bucketLimit[histo!.bucketLimit.length - 1]).toBe(histo!.max);
    expect(histo!.num).toBeGreaterThan(0);
    expect(tag).toMatch(/^parameters\/.+\/(kernel|bias|a|b|c|d)$/);
  }
  // The same model built again in this process (a matrix's next run) logs under the same tags.
  const again = await runExperiment({ ...config, name: 'tensorboard-again' }, { reporter });
  const againRecords = readRecords(path.join(again, 'tensorboard', fs.readdirSync(path.join(again, 'tensorboard'))[0]));
  const againTags = againRecords
    .flatMap((data) => (Event.toObject(Event.decode(data)) as DecodedEvent).summary?.value ?? [])
    .map(({ tag }) => tag);
  expect([...new Set(againTags.filter((tag) => tag.startsWith('parameters/')))].sort()).toEqual([...weightTags].sort());
  const kernelSizes = histograms.filter((value) => value.step === 0 && value.tag.endsWith('kernel')).map((value) => value.histo!.num);
  expect(kernelSizes.sort((x, y) => x - y)).toEqual([8 * 3, 8 * 8, 36 * 8]);
  expect(new Set(histograms.map((value) => value.step))).toEqual(new Set([0, 1, 2]));

  // The learned curves: a PNG each epoch whose header gives the logged width and height.
  const images = series('activation_curves');
  expect(images.map((value) => value.step)).toEqual([0, 1, 2]);
  for (const { image } of images) {
    const png = image!.encodedImageString;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([image!.width, image!.height]);
  }
});
