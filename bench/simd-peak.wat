;; The ceiling of the weight kernels' arithmetic on this machine: WebAssembly SIMD f32x4 multiplies and adds with every
;; operand in a register (eight independent accumulators, so neither latency nor memory limits it). The kernels in
;; src/engine/kernels.wat do the same operations, one multiply and one add per 4 multiply-adds, but also load their
;; operands; bench/cell.ts reports the cell's product rate against this. peak(n) runs 32 f32x4 multiply-add pairs (256
;; flops) per iteration, n iterations.
(module
  (func (export "peak") (param $n i32) (result f32)
    (local $i i32) (local $s v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $s (f32x4.splat (f32.const 1.0000001)))
    (local.set $w0 (f32x4.splat (f32.const 0.5)))
    (local.set $w1 (f32x4.splat (f32.const 0.25)))
    (local.set $w2 (f32x4.splat (f32.const 0.125)))
    (local.set $w3 (f32x4.splat (f32.const 0.0625)))
    (loop $l
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s) (local.get $w3))))
      (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s) (local.get $w0))))
      (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $s) (local.get $w1))))
      (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $s) (local.get $w2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    ;; The sum keeps every accumulator live.
    (f32x4.extract_lane 0
      (f32x4.add
        (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3)))
        (f32x4.add (f32x4.add (local.get $a4) (local.get $a5)) (f32x4.add (local.get $a6) (local.get $a7)))))))
