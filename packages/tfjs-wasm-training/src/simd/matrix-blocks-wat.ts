/**
 * `name(src, srcStride, dst, dstStride, rows, columns)`: dst[r * dstStride + c] = value for r < rows, c < columns
 * (byte addresses, strides in elements), four values at a time, then one: block moves between matrices that are
 * parts of larger ones (the blocks of a dense filter matrix).
 */
function blockLoop(name: string, value: (lanes: 'f32x4' | 'f32', source: string, target: string) => string): string {
  const step = (lanes: 'f32x4' | 'f32', bytes: number) => {
    const type = lanes === 'f32x4' ? 'v128' : 'f32';
    return `(${type}.store (local.get $to) ${value(lanes, `(${type}.load (local.get $from))`, `(${type}.load (local.get $to))`)})
        (local.set $from (i32.add (local.get $from) (i32.const ${bytes})))
        (local.set $to (i32.add (local.get $to) (i32.const ${bytes})))`;
  };
  return `
  (func (export "${name}") (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $rows i32) (param $columns i32)
    (local $r i32) (local $from i32) (local $to i32) (local $vectorEnd i32) (local $rowEnd i32)
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $from (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $srcStride)) (i32.const 2))))
      (local.set $to (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $dstStride)) (i32.const 2))))
      (local.set $rowEnd (i32.add (local.get $to) (i32.shl (local.get $columns) (i32.const 2))))
      (local.set $vectorEnd (i32.add (local.get $to) (i32.shl (i32.and (local.get $columns) (i32.const -4)) (i32.const 2))))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $to) (local.get $vectorEnd)))
        ${step('f32x4', 16)}
        (br $vectors)))
      (block $valuesDone (loop $values
        (br_if $valuesDone (i32.ge_u (local.get $to) (local.get $rowEnd)))
        ${step('f32', 4)}
        (br $values)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))`;
}

/** WebAssembly text of `copyBlock` (dst = src) and `addBlock` (dst += src) over strided matrix blocks. */
export const MATRIX_BLOCKS_WAT = [
  blockLoop('copyBlock', (_lanes, source) => source),
  blockLoop('addBlock', (lanes, source, target) => `(${lanes}.add ${target} ${source})`),
].join('\n');
