/** Loops over the window's input pixels (rows and columns clipped to the input), with $element the index in x of
 * channel $c of the pixel; `body` runs for each. */
function overWindow(label: string, body: string): string {
  return `(local.set $row (local.get $rowBegin))
            (block $${label}RowsDone (loop $${label}Rows
              (br_if $${label}RowsDone (i32.ge_s (local.get $row) (local.get $rowEnd)))
              (local.set $column (local.get $columnBegin))
              (block $${label}ColumnsDone (loop $${label}Columns
                (br_if $${label}ColumnsDone (i32.ge_s (local.get $column) (local.get $columnEnd)))
                (local.set $element (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inHeight)) (local.get $row))
                  (local.get $inWidth)) (local.get $column)) (local.get $channels)) (local.get $c)))
                ${body}
                (local.set $column (i32.add (local.get $column) (i32.const 1)))
                (br $${label}Columns)))
              (local.set $row (i32.add (local.get $row) (i32.const 1)))
              (br $${label}Rows)))`;
}

/**
 * WebAssembly text of `maxPoolGrad(x, dy, sums, dx, batch, inHeight, inWidth, channels, outHeight, outWidth,
 * strideHeight, strideWidth, filterHeight, filterWidth, padTop, padLeft)` over NHWC float32 tensors (byte
 * addresses; `sums` is float64 scratch of x's size). Exactly the cpu backend's result, ties included: each window's
 * gradient goes to the first maximum of each channel in row-major window order (a strictly greater value replaces
 * it, so NaN never does; padding is never a candidate), and an input value's contributions from overlapping windows
 * are added in float64 in window order and rounded once. Four channels are searched at a time (compare and select).
 */
export const MAX_POOL_GRAD_WAT = `
  ;; Adds dy's value for one channel of a window to the float64 sum of its maximum (element index; -1: none).
  (func $addToMaximum (param $sums i32) (param $maximum i32) (param $gradient f32)
    (local $at i32)
    (if (i32.ge_s (local.get $maximum) (i32.const 0)) (then
      (local.set $at (i32.add (local.get $sums) (i32.shl (local.get $maximum) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.promote_f32 (local.get $gradient)))))))

  (func (export "maxPoolGrad") (param $x i32) (param $dy i32) (param $sums i32) (param $dx i32)
      (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32) (param $outHeight i32) (param $outWidth i32)
      (param $strideHeight i32) (param $strideWidth i32) (param $filterHeight i32) (param $filterWidth i32)
      (param $padTop i32) (param $padLeft i32)
    (local $size i32) (local $i i32) (local $b i32) (local $outRow i32) (local $outColumn i32) (local $window i32)
    (local $rowBegin i32) (local $rowEnd i32) (local $columnBegin i32) (local $columnEnd i32) (local $row i32) (local $column i32)
    (local $c i32) (local $vectorChannels i32) (local $pixel i32) (local $element i32)
    (local $best v128) (local $maxima v128) (local $value v128) (local $greater v128)
    (local $bestValue f32) (local $maximum i32) (local $gradients v128)
    (local.set $size (i32.mul (i32.mul (local.get $batch) (local.get $inHeight)) (i32.mul (local.get $inWidth) (local.get $channels))))
    (local.set $vectorChannels (i32.and (local.get $channels) (i32.const -4)))
    (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $size) (i32.const 3)))
    (block $batchDone (loop $batchLoop
      (br_if $batchDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $outRow (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $outRow) (local.get $outHeight)))
        ;; the window's rows, clipped to the input
        (local.set $rowBegin (i32.sub (i32.mul (local.get $outRow) (local.get $strideHeight)) (local.get $padTop)))
        (local.set $rowEnd (i32.add (local.get $rowBegin) (local.get $filterHeight)))
        (if (i32.lt_s (local.get $rowBegin) (i32.const 0)) (then (local.set $rowBegin (i32.const 0))))
        (if (i32.gt_s (local.get $rowEnd) (local.get $inHeight)) (then (local.set $rowEnd (local.get $inHeight))))
        (local.set $outColumn (i32.const 0))
        (block $columnsDone (loop $columns
          (br_if $columnsDone (i32.ge_u (local.get $outColumn) (local.get $outWidth)))
          (local.set $columnBegin (i32.sub (i32.mul (local.get $outColumn) (local.get $strideWidth)) (local.get $padLeft)))
          (local.set $columnEnd (i32.add (local.get $columnBegin) (local.get $filterWidth)))
          (if (i32.lt_s (local.get $columnBegin) (i32.const 0)) (then (local.set $columnBegin (i32.const 0))))
          (if (i32.gt_s (local.get $columnEnd) (local.get $inWidth)) (then (local.set $columnEnd (local.get $inWidth))))
          ;; four channels at a time
          (local.set $c (i32.const 0))
          (block $vectorsDone (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $c) (local.get $vectorChannels)))
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $maxima (i32x4.splat (i32.const -1)))
            ${overWindow(
              'vector',
              `(local.set $value (v128.load (i32.add (local.get $x) (i32.shl (local.get $element) (i32.const 2)))))
                (local.set $greater (f32x4.gt (local.get $value) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $value) (local.get $best) (local.get $greater)))
                (local.set $maxima (v128.bitselect
                  (i32x4.add (i32x4.splat (local.get $element)) (v128.const i32x4 0 1 2 3)) (local.get $maxima) (local.get $greater)))`,
            )}
            (local.set $gradients (v128.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $window) (local.get $c)) (i32.const 2)))))
            (call $addToMaximum (local.get $sums) (i32x4.extract_lane 0 (local.get $maxima)) (f32x4.extract_lane 0 (local.get $gradients)))
            (call $addToMaximum (local.get $sums) (i32x4.extract_lane 1 (local.get $maxima)) (f32x4.extract_lane 1 (local.get $gradients)))
            (call $addToMaximum (local.get $sums) (i32x4.extract_lane 2 (local.get $maxima)) (f32x4.extract_lane 2 (local.get $gradients)))
            (call $addToMaximum (local.get $sums) (i32x4.extract_lane 3 (local.get $maxima)) (f32x4.extract_lane 3 (local.get $gradients)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
          ;; the channels left, one at a time
          (block $channelsDone (loop $channelLoop
            (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $channels)))
            (local.set $bestValue (f32.const -inf))
            (local.set $maximum (i32.const -1))
            ${overWindow(
              'value',
              `(if (f32.gt (f32.load (i32.add (local.get $x) (i32.shl (local.get $element) (i32.const 2)))) (local.get $bestValue)) (then
                  (local.set $bestValue (f32.load (i32.add (local.get $x) (i32.shl (local.get $element) (i32.const 2)))))
                  (local.set $maximum (local.get $element))))`,
            )}
            (call $addToMaximum (local.get $sums) (local.get $maximum)
              (f32.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $window) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $channelLoop)))
          (local.set $window (i32.add (local.get $window) (local.get $channels)))
          (local.set $outColumn (i32.add (local.get $outColumn) (i32.const 1)))
          (br $columns)))
        (local.set $outRow (i32.add (local.get $outRow) (i32.const 1)))
        (br $rows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batchLoop)))
    ;; round each sum once
    (block $roundDone (loop $round
      (br_if $roundDone (i32.ge_u (local.get $i) (local.get $size)))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $sums) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $round))))
`;
