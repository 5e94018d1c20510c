/**
 * Generators of WebAssembly text for loops over row-major [rows, columns] float32 matrices whose columns are
 * channels (an NHWC activation seen as [N*H*W, C]), with per-channel float32 vectors alongside. A kernel is written
 * once, as an expression over `Lanes`, and the generator emits its four-lane SIMD form and its one-value form (for
 * the last columns when the channel count is not a multiple of four).
 */

/** Builds one value (four lanes, or one) of a kernel's expression. */
export interface Lanes {
  /** The current value(s) of a matrix. */
  matrix(name: string): string;
  /** The current channel's value(s) of a per-channel vector. */
  vector(name: string): string;
  /** A float32 operation (add, sub, mul, ...) on operands built by the other two. */
  op(name: string, ...operands: string[]): string;
}

const each = (count: number, text: (i: number) => string) => Array.from({ length: count }, (_, i) => text(i)).join('\n');
const params = (prefix: string, names: string[]) => names.map((name) => `(param $${prefix}${name} i32)`).join(' ');
const gets = (prefix: string, names: string[], byteOffset?: string) =>
  names.map((name) => (byteOffset ? `(i32.add (local.get $${prefix}${name}) ${byteOffset})` : `(local.get $${prefix}${name})`)).join(' ');

/** Sums over the rows of matrix expressions, one per channel, in float64. */
export interface ColumnReduction {
  name: string;
  matrices: string[];
  vectors: string[];
  /** One expression per sum (each with its own output vector). */
  terms: ((lanes: Lanes) => string)[];
}

/** Rows per block of a column reduction: 64 rows of two matrices of 64 channels fill a 32 KB L1 data cache. */
const REDUCTION_BLOCK_ROWS = 64;

/**
 * `name(matrices..., vectors..., outputs..., sums, rows, columns, divisor)`: output_t[c] = (sum over r of term_t) /
 * divisor, summed in float64 like the cpu backend's, with `sums` float64 scratch of terms x columns. The rows go in
 * blocks that stay in cache while sweeps down the block's rows, one cache line of each row (16 channels, or 8 for two
 * terms) at a time, add the block's sums in registers; each block's sums are then added to `sums`.
 */
export function columnReductionWat(reduction: ColumnReduction): string {
  const { name, matrices, vectors, terms } = reduction;
  const wide = terms.length === 1 ? 16 : 8;
  const outputs = terms.map((_, t) => String(t));
  const sweep = (width: number) => {
    const simd = width >= 4;
    const chunks = simd ? width / 4 : 1;
    const lanes = (chunk: number): Lanes => ({
      matrix: (matrix) => (simd ? `(v128.load offset=${16 * chunk} (local.get $m_${matrix}))` : `(f32.load (local.get $m_${matrix}))`),
      vector: (vector) => `(local.get $v_${vector}_${chunk})`,
      op: (op, ...operands) => `(${simd ? 'f32x4' : 'f32'}.${op} ${operands.join(' ')})`,
    });
    // Each vector of four values is widened to two float64 pairs before it is added: a float32 sum would lose the
    // small totals of large values that cancel (batch norm's gradient sums), where the cpu backend, adding in
    // float64, does not.
    const accumulate = (term: number, chunk: number) => {
      const value = terms[term](lanes(chunk));
      if (!simd) return `(local.set $sum_${term}_${chunk} (f64.add (local.get $sum_${term}_${chunk}) (f64.promote_f32 ${value})))`;
      return `(local.set $value ${value})
      (local.set $sum_${term}_${chunk} (f64x2.add (local.get $sum_${term}_${chunk}) (f64x2.promote_low_f32x4 (local.get $value))))
      (local.set $high_${term}_${chunk} (f64x2.add (local.get $high_${term}_${chunk})
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $value) (local.get $value)))))`;
    };
    // The block's sums added to the float64 sums in memory.
    const addToSums = (term: number, chunk: number) => {
      const memoryType = simd ? 'v128' : 'f64';
      const add = (offset: number, sum: string) =>
        `(${memoryType}.store offset=${offset} (local.get $s_${term}) (${simd ? 'f64x2' : 'f64'}.add (${memoryType}.load offset=${offset} (local.get $s_${term})) (local.get ${sum})))`;
      if (!simd) return add(0, `$sum_${term}_0`);
      return `${add(32 * chunk, `$sum_${term}_${chunk}`)}
    ${add(32 * chunk + 16, `$high_${term}_${chunk}`)}`;
    };
    const vectorType = simd ? 'v128' : 'f32';
    return `
  (func $${name}_${width} ${params('m_', matrices)} ${params('v_', vectors)} ${params('s_', outputs)} (param $rows i32) (param $rowBytes i32)
    (local $end i32) (local $value v128)
    ${each(chunks, (c) => vectors.map((v) => `(local $v_${v}_${c} ${vectorType})`).join(' '))}
    ${each(terms.length, (t) => each(chunks, (c) => (simd ? `(local $sum_${t}_${c} v128) (local $high_${t}_${c} v128)` : `(local $sum_${t}_${c} f64)`)))}
    ${each(chunks, (c) => vectors.map((v) => `(local.set $v_${v}_${c} (${vectorType}.load offset=${(simd ? 16 : 4) * c} (local.get $v_${v})))`).join('\n'))}
    (local.set $end (i32.add (local.get $m_${matrices[0]}) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $m_${matrices[0]}) (local.get $end)))
      ${each(terms.length, (t) => each(chunks, (c) => accumulate(t, c)))}
      ${matrices.map((m) => `(local.set $m_${m} (i32.add (local.get $m_${m}) (local.get $rowBytes)))`).join('\n')}
      (br $rows)))
    ${each(terms.length, (t) => each(chunks, (c) => addToSums(t, c)))})`;
  };
  // The float64 sums of term t start at sums + t * columns * 8; column c's at + c * 8 (= 2 * its float32 offset).
  const termSums = (t: number, floatOffset: string) =>
    `(i32.add (local.get $sums) (i32.add (i32.mul (i32.const ${t}) (local.get $sumBytes)) (i32.shl ${floatOffset} (i32.const 1))))`;
  const columnLoop = (width: number) => `
      (block $done${width} (loop $by${width}
        (br_if $done${width} (i32.gt_u (i32.add (local.get $c) (i32.const ${width})) (local.get $columns)))
        (call $${name}_${width} ${gets('m_', matrices, '(i32.add (local.get $blockOffset) (local.get $offset))')} ${gets('v_', vectors, '(local.get $offset)')}
          ${outputs.map((_, t) => termSums(t, '(local.get $offset)')).join(' ')} (local.get $blockRows) (local.get $rowBytes))
        (local.set $c (i32.add (local.get $c) (i32.const ${width})))
        (local.set $offset (i32.shl (local.get $c) (i32.const 2)))
        (br $by${width})))`;
  const finish = (t: number) => `
    (local.set $offset (i32.const 0))
    (block $finished${t} (loop $finish${t}
      (br_if $finished${t} (i32.ge_u (local.get $offset) (local.get $rowBytes)))
      (f32.store (i32.add (local.get $o_${t}) (local.get $offset))
        (f32.demote_f64 (f64.div (f64.load ${termSums(t, '(local.get $offset)')}) (local.get $divisor))))
      (local.set $offset (i32.add (local.get $offset) (i32.const 4)))
      (br $finish${t})))`;
  return `${sweep(wide)} ${sweep(4)} ${sweep(1)}
  (func (export "${name}") ${params('m_', matrices)} ${params('v_', vectors)} ${params('o_', outputs)}
      (param $sums i32) (param $rows i32) (param $columns i32) (param $divisor f64)
    (local $c i32) (local $offset i32) (local $rowBytes i32) (local $sumBytes i32)
    (local $first i32) (local $blockRows i32) (local $blockOffset i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $sumBytes (i32.shl (local.get $columns) (i32.const 3)))
    (memory.fill (local.get $sums) (i32.const 0) (i32.mul (i32.const ${terms.length}) (local.get $sumBytes)))
    (block $blocksDone (loop $blocks
      (br_if $blocksDone (i32.ge_u (local.get $first) (local.get $rows)))
      (local.set $blockRows (i32.sub (local.get $rows) (local.get $first)))
      (if (i32.gt_u (local.get $blockRows) (i32.const ${REDUCTION_BLOCK_ROWS})) (then (local.set $blockRows (i32.const ${REDUCTION_BLOCK_ROWS}))))
      (local.set $blockOffset (i32.mul (local.get $first) (local.get $rowBytes)))
      (local.set $c (i32.const 0))
      (local.set $offset (i32.const 0))
      ${columnLoop(wide)} ${columnLoop(4)} ${columnLoop(1)}
      (local.set $first (i32.add (local.get $first) (i32.const ${REDUCTION_BLOCK_ROWS})))
      (br $blocks)))
    ${outputs.map((_, t) => finish(t)).join('')})`;
}

/** An elementwise map of matrices and per-channel vectors to an output matrix of the same shape. */
export interface ChannelMap {
  name: string;
  matrices: string[];
  vectors: string[];
  value: (lanes: Lanes) => string;
}

/** `name(matrices..., vectors..., output, rows, columns)`: output[r, c] = value, four channels at a time. */
export function channelMapWat(map: ChannelMap): string {
  const { name, matrices, vectors, value } = map;
  const lanes = (simd: boolean): Lanes => ({
    matrix: (matrix) => `(${simd ? 'v128' : 'f32'}.load (i32.add (local.get $m_${matrix}) (local.get $at)))`,
    vector: (vector) => `(${simd ? 'v128' : 'f32'}.load (i32.add (local.get $v_${vector}) (local.get $channel)))`,
    op: (op, ...operands) => `(${simd ? 'f32x4' : 'f32'}.${op} ${operands.join(' ')})`,
  });
  // $at: the byte offset of the current value in every matrix; $channel: its channel's byte offset in the vectors.
  // Four channels at a time up to $simdBytes, then one at a time to the end of the row.
  const overChannels = (simd: boolean) => {
    const [label, end, bytes] = simd ? ['simd', '$simdBytes', 16] : ['tail', '$rowBytes', 4];
    return `(block $${label}Done (loop $${label}
        (br_if $${label}Done (i32.ge_u (local.get $channel) (local.get ${end})))
        (${simd ? 'v128' : 'f32'}.store (i32.add (local.get $out) (local.get $at)) ${value(lanes(simd))})
        (local.set $at (i32.add (local.get $at) (i32.const ${bytes})))
        (local.set $channel (i32.add (local.get $channel) (i32.const ${bytes})))
        (br $${label})))`;
  };
  return `
  (func (export "${name}") ${params('m_', matrices)} ${params('v_', vectors)} (param $out i32) (param $rows i32) (param $columns i32)
    (local $at i32) (local $end i32) (local $channel i32) (local $rowBytes i32) (local $simdBytes i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $simdBytes (i32.shl (i32.and (local.get $columns) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.mul (local.get $rows) (local.get $rowBytes)))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $channel (i32.const 0))
      ${overChannels(true)}
      ${overChannels(false)}
      (br $rows))))`;
}
