/** `count` copies of `text(i)` for i = 0, 1, ...: the unrolled parts of the functions below. */
const each = (count: number, text: (i: number) => string) => Array.from({ length: count }, (_, i) => text(i)).join('\n');

/**
 * The sums of `width` adjacent columns (a multiple of 4) of a row-major float32 matrix, from `from` down `rows`
 * rows `rowBytes` apart, divided by `divisor` and stored as float32 at `to`. Each vector of four values is widened to
 * two float64 pairs before it is added, so the sums are those of the cpu backend, which adds in float64 row by row.
 */
function sumColumnsFunction(width: number): string {
  const vectors = width / 4;
  return `
  (func $sumColumns${width} (param $from i32) (param $to i32) (param $rows i32) (param $rowBytes i32) (param $divisor f64)
    (local $end i32) (local $v v128)
    ${each(vectors, (i) => `(local $low${i} v128) (local $high${i} v128)`)}
    (local.set $end (i32.add (local.get $from) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
      ${each(
        vectors,
        (i) => `(local.set $v (v128.load offset=${16 * i} (local.get $from)))
      (local.set $low${i} (f64x2.add (local.get $low${i}) (f64x2.promote_low_f32x4 (local.get $v))))
      (local.set $high${i} (f64x2.add (local.get $high${i})
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))`,
      )}
      (local.set $from (i32.add (local.get $from) (local.get $rowBytes)))
      (br $rows)))
    ${each(
      vectors,
      (i) => `(v128.store offset=${16 * i} (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (f64x2.div (local.get $low${i}) (f64x2.splat (local.get $divisor))))
      (f32x4.demote_f64x2_zero (f64x2.div (local.get $high${i}) (f64x2.splat (local.get $divisor))))))`,
    )})`;
}

/**
 * WebAssembly text of `columnSums(src, dst, rows, columns, divisor)`: dst[c] = (sum over r of src[r * columns + c])
 * / divisor, in float64 (byte addresses). Sixteen columns (one cache line of each row) per sweep down the rows, then
 * four, then one.
 */
export const COLUMN_SUMS_WAT = `
  ${sumColumnsFunction(16)}
  ${sumColumnsFunction(4)}

  (func $sumColumn (param $from i32) (param $to i32) (param $rows i32) (param $rowBytes i32) (param $divisor f64)
    (local $end i32) (local $sum f64)
    (local.set $end (i32.add (local.get $from) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
      (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32.load (local.get $from)))))
      (local.set $from (i32.add (local.get $from) (local.get $rowBytes)))
      (br $rows)))
    (f32.store (local.get $to) (f32.demote_f64 (f64.div (local.get $sum) (local.get $divisor)))))

  (func (export "columnSums") (param $src i32) (param $dst i32) (param $rows i32) (param $columns i32) (param $divisor f64)
    (local $c i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (block $done16 (loop $by16
      (br_if $done16 (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $columns)))
      (call $sumColumns16 (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
        (local.get $rows) (local.get $rowBytes) (local.get $divisor))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $by16)))
    (block $done4 (loop $by4
      (br_if $done4 (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $columns)))
      (call $sumColumns4 (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
        (local.get $rows) (local.get $rowBytes) (local.get $divisor))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $by4)))
    (block $done1 (loop $by1
      (br_if $done1 (i32.ge_u (local.get $c) (local.get $columns)))
      (call $sumColumn (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
        (local.get $rows) (local.get $rowBytes) (local.get $divisor))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $by1))))
`;
