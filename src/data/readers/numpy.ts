import { AcafError } from '../../errors';
import type { Buildable } from './pickle';

/** numpy.dtype as pickled: a type code such as 'u1', 'i8', 'f4', then its byte order through __setstate__. */
export class NumpyDtype implements Buildable {
  byteOrder = '|';

  constructor(readonly code: string) {}

  setState(state: unknown): void {
    if (Array.isArray(state) && typeof state[1] === 'string') this.byteOrder = state[1];
  }

  get littleEndian(): boolean {
    return this.byteOrder !== '>';
  }
}

/** numpy's own limit on the number of dimensions. */
const MAX_RANK = 64;

/** numpy.ndarray as pickled by `_reconstruct` + `__setstate__(version, shape, dtype, fortran, rawdata)`. */
export class NumpyArray implements Buildable {
  shape: number[] = [0];
  dtype = new NumpyDtype('u1');
  fortranOrder = false;
  data: Uint8Array = new Uint8Array(0);

  setState(state: unknown, file: string): void {
    if (!Array.isArray(state)) throw new AcafError(`${file}: corrupt numpy array state`);
    // Version 1 states lead with the version number; the oldest ones have four items.
    const [shape, dtype, fortranOrder, rawData] = state.length === 5 ? state.slice(1) : state;
    if (!(dtype instanceof NumpyDtype)) throw new AcafError(`${file}: corrupt numpy array state (no dtype)`);
    if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((dim) => Number.isInteger(dim) && dim >= 0)) {
      throw new AcafError(`${file}: corrupt numpy array state (the shape is not a list of at most ${MAX_RANK} sizes)`);
    }
    if (!(rawData instanceof Uint8Array)) {
      throw new AcafError(`${file}: numpy array of dtype '${dtype.code}' holds Python objects, expected raw numbers`);
    }
    this.shape = shape as number[];
    this.dtype = dtype;
    this.fortranOrder = Boolean(fortranOrder);
    this.data = rawData;
    const expected = this.size * this.itemSize(file);
    if (rawData.length !== expected) {
      throw new AcafError(`${file}: numpy array of shape [${this.shape}] '${dtype.code}' has ${rawData.length} bytes, expected ${expected}`);
    }
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  itemSize(file: string): number {
    const size = Number(this.dtype.code.slice(1));
    if (!'uif'.includes(this.dtype.code[0]) || ![1, 2, 4, 8].includes(size)) {
      throw new AcafError(`${file}: unsupported numpy dtype '${this.dtype.code}'`);
    }
    return size;
  }

  /** The elements as doubles in C order (exact for integers up to 2^53). */
  toNumbers(file: string): Float64Array {
    if (this.fortranOrder && this.shape.length > 1) throw new AcafError(`${file}: Fortran-ordered numpy arrays are not supported`);
    const itemSize = this.itemSize(file);
    const view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    const little = this.dtype.littleEndian;
    const read = readerFor(this.dtype.code[0], itemSize, view, little);
    const values = new Float64Array(this.size);
    for (let i = 0; i < values.length; i++) values[i] = read(i * itemSize);
    return values;
  }
}

function readerFor(kind: string, size: number, view: DataView, little: boolean): (at: number) => number {
  if (kind === 'f') return size === 4 ? (at) => view.getFloat32(at, little) : (at) => view.getFloat64(at, little);
  if (size === 1) return kind === 'u' ? (at) => view.getUint8(at) : (at) => view.getInt8(at);
  if (size === 2) return kind === 'u' ? (at) => view.getUint16(at, little) : (at) => view.getInt16(at, little);
  if (size === 4) return kind === 'u' ? (at) => view.getUint32(at, little) : (at) => view.getInt32(at, little);
  return kind === 'u' ? (at) => Number(view.getBigUint64(at, little)) : (at) => Number(view.getBigInt64(at, little));
}

/** An array's uint8 pixels without copying when its dtype already is uint8. */
export function numpyUint8(array: NumpyArray, file: string): Uint8Array {
  if (array.dtype.code === 'u1') return array.data;
  const values = array.toNumbers(file);
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] > 255 || !Number.isInteger(values[i])) throw new AcafError(`${file}: pixel value ${values[i]} is not a byte`);
    pixels[i] = values[i];
  }
  return pixels;
}
