;; WebAssembly SIMD kernels for the products that touch a weight matrix W [rows, cols] (row-major, float32) with a
;; small batch of m rows, run in the tfjs wasm backend's own memory (imported). Built into src/engine/kernels-wasm.ts
;; by `npm run build:kernels` (wabt); test/engine/weight-kernels.test.ts checks the bytes against this source and every
;; result against tfjs. Offsets are byte addresses; the caller guarantees rows % 4 == 0 and cols % 16 == 0.
;;
;; W is read row after row (contiguous). The small operands are packed first, into a scratch area the caller provides,
;; so that what the inner loop touches is contiguous: at power-of-two widths a row stride of cols floats maps every row
;; to the same L1 cache set, and reading m rows of a [m, cols] matrix at the same column thrashed the cache (the first
;; version ran at 3 GFLOP/s). Packing here rather than with tfjs transposes saves their kernel launches; it only moves
;; floats, so the results are those of packing outside.
;;   hQ  [rows / 4, m, 4]     the batch in quads of rows of W: hQ[q, k, r] = h[k, 4 q + r]
;;   dP  [cols / 8, m, 8]     d in blocks of 8 columns: dP[b, k, c] = d[k, 8 b + c]
;;   zP  [cols / 8, m, 8]     the output of the forward in blocks of 8 columns: zP[b, k, c] = z[k, 8 b + c]
(module
  (import "env" "memory" (memory 0))

  ;; dst [n / 4, m, 4] <- src [m, n]: quads of columns, each quad's m rows contiguous.
  (func $packQuads (param $dst i32) (param $src i32) (param $m i32) (param $n i32)
    (local $q i32) (local $k i32) (local $rowBytes i32) (local $sp i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $q (i32.const 0))
    (block $qDone
      (loop $qLoop
        (br_if $qDone (i32.ge_u (local.get $q) (local.get $rowBytes)))
        (local.set $sp (i32.add (local.get $src) (local.get $q)))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $m)))
            (v128.store (local.get $dst) (v128.load (local.get $sp)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $sp (i32.add (local.get $sp) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $qLoop))))

  ;; Between [m, n] (flat) and [n / 8, m, 8] (blocked): blocked <- flat when $toBlocks, flat <- blocked otherwise.
  (func $octets (param $blocked i32) (param $flat i32) (param $m i32) (param $n i32) (param $toBlocks i32)
    (local $b i32) (local $k i32) (local $rowBytes i32) (local $fp i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $bDone
      (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $rowBytes)))
        (local.set $fp (i32.add (local.get $flat) (local.get $b)))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $m)))
            (if (local.get $toBlocks)
              (then
                (v128.store offset=0 (local.get $blocked) (v128.load offset=0 (local.get $fp)))
                (v128.store offset=16 (local.get $blocked) (v128.load offset=16 (local.get $fp))))
              (else
                (v128.store offset=0 (local.get $fp) (v128.load offset=0 (local.get $blocked)))
                (v128.store offset=16 (local.get $fp) (v128.load offset=16 (local.get $blocked)))))
            (local.set $blocked (i32.add (local.get $blocked) (i32.const 32)))
            (local.set $fp (i32.add (local.get $fp) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $bLoop))))

  ;; out = W - h^T d: out[i, j] = W[i, j] - sum_k h[k, i] d[k, j] (subtracted in the order k = 0, 1, ...) for h
  ;; [m, rows] and d [m, cols]; scratch holds 4 m (rows + cols) bytes. One read of W and one write of out; four rows by
  ;; eight columns stay in registers while the m products are subtracted.
  (func (export "rank_update")
    (param $out i32) (param $w i32) (param $h i32) (param $d i32) (param $rows i32) (param $cols i32) (param $m i32)
    (param $scratch i32) (local $hQ i32) (local $dP i32)
    (local $rowBytes i32) (local $mBytes i32) (local $i i32) (local $j i32) (local $k i32)
    (local $wp i32) (local $op i32) (local $dp i32) (local $hp i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $s v128) (local $x0 v128) (local $x1 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $mBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $hQ (local.get $scratch))
    (local.set $dP (i32.add (local.get $scratch) (i32.mul (local.get $mBytes) (local.get $rows))))
    (call $packQuads (local.get $hQ) (local.get $h) (local.get $m) (local.get $rows))
    (call $octets (local.get $dP) (local.get $d) (local.get $m) (local.get $cols) (i32.const 1))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $dp (local.get $dP))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $wp (i32.add (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))) (local.get $j)))
            (local.set $a00 (v128.load offset=0 (local.get $wp)))
            (local.set $a01 (v128.load offset=16 (local.get $wp)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
            (local.set $a10 (v128.load offset=0 (local.get $wp)))
            (local.set $a11 (v128.load offset=16 (local.get $wp)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
            (local.set $a20 (v128.load offset=0 (local.get $wp)))
            (local.set $a21 (v128.load offset=16 (local.get $wp)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
            (local.set $a30 (v128.load offset=0 (local.get $wp)))
            (local.set $a31 (v128.load offset=16 (local.get $wp)))
            (local.set $hp (i32.add (local.get $hQ) (i32.mul (local.get $i) (local.get $mBytes))))
            (local.set $k (i32.const 0))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $m)))
                (local.set $x0 (v128.load offset=0 (local.get $dp)))
                (local.set $x1 (v128.load offset=16 (local.get $dp)))
                (local.set $s (v128.load32_splat offset=0 (local.get $hp)))
                (local.set $a00 (f32x4.sub (local.get $a00) (f32x4.mul (local.get $s) (local.get $x0))))
                (local.set $a01 (f32x4.sub (local.get $a01) (f32x4.mul (local.get $s) (local.get $x1))))
                (local.set $s (v128.load32_splat offset=4 (local.get $hp)))
                (local.set $a10 (f32x4.sub (local.get $a10) (f32x4.mul (local.get $s) (local.get $x0))))
                (local.set $a11 (f32x4.sub (local.get $a11) (f32x4.mul (local.get $s) (local.get $x1))))
                (local.set $s (v128.load32_splat offset=8 (local.get $hp)))
                (local.set $a20 (f32x4.sub (local.get $a20) (f32x4.mul (local.get $s) (local.get $x0))))
                (local.set $a21 (f32x4.sub (local.get $a21) (f32x4.mul (local.get $s) (local.get $x1))))
                (local.set $s (v128.load32_splat offset=12 (local.get $hp)))
                (local.set $a30 (f32x4.sub (local.get $a30) (f32x4.mul (local.get $s) (local.get $x0))))
                (local.set $a31 (f32x4.sub (local.get $a31) (f32x4.mul (local.get $s) (local.get $x1))))
                (local.set $dp (i32.add (local.get $dp) (i32.const 32)))
                (local.set $hp (i32.add (local.get $hp) (i32.const 16)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kLoop)))
            (local.set $op (i32.add (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowBytes))) (local.get $j)))
            (v128.store offset=0 (local.get $op) (local.get $a00))
            (v128.store offset=16 (local.get $op) (local.get $a01))
            (local.set $op (i32.add (local.get $op) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $op) (local.get $a10))
            (v128.store offset=16 (local.get $op) (local.get $a11))
            (local.set $op (i32.add (local.get $op) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $op) (local.get $a20))
            (v128.store offset=16 (local.get $op) (local.get $a21))
            (local.set $op (i32.add (local.get $op) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $op) (local.get $a30))
            (v128.store offset=16 (local.get $op) (local.get $a31))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $colLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rowLoop))))

  ;; z = h W for h [m, rows]: z[k, j] = sum_i h[k, i] W[i, j] (added in the order i = 0, 1, ...), z [m, cols]
  ;; overwritten; scratch holds 4 m (rows + cols) bytes. One read of W: four rows by eight columns stay in registers
  ;; while they are added into the m rows of the packed output block.
  (func (export "dense_forward")
    (param $z i32) (param $w i32) (param $h i32) (param $rows i32) (param $cols i32) (param $m i32) (param $scratch i32)
    (local $hQ i32) (local $zP i32)
    (local $rowBytes i32) (local $mBytes i32) (local $i i32) (local $j i32) (local $k i32)
    (local $wp i32) (local $zp i32) (local $hp i32)
    (local $w00 v128) (local $w01 v128) (local $w10 v128) (local $w11 v128)
    (local $w20 v128) (local $w21 v128) (local $w30 v128) (local $w31 v128)
    (local $s v128) (local $z0 v128) (local $z1 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $mBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $hQ (local.get $scratch))
    (local.set $zP (i32.add (local.get $scratch) (i32.mul (local.get $mBytes) (local.get $rows))))
    (call $packQuads (local.get $hQ) (local.get $h) (local.get $m) (local.get $rows))
    (memory.fill (local.get $zP) (i32.const 0) (i32.mul (local.get $m) (local.get $rowBytes)))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $zp (local.get $zP))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $wp (i32.add (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))) (local.get $j)))
            (local.set $w00 (v128.load offset=0 (local.get $wp)))
            (local.set $w01 (v128.load offset=16 (local.get $wp)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
            (local.set $w10 (v128.load offset=0 (local.get $wp)))
            (local.set $w11 (v128.load offset=16 (local.get $wp)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
            (local.set $w20 (v128.load offset=0 (local.get $wp)))
            (local.set $w21 (v128.load offset=16 (local.get $wp)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
            (local.set $w30 (v128.load offset=0 (local.get $wp)))
            (local.set $w31 (v128.load offset=16 (local.get $wp)))
            (local.set $hp (i32.add (local.get $hQ) (i32.mul (local.get $i) (local.get $mBytes))))
            (local.set $k (i32.const 0))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $m)))
                (local.set $z0 (v128.load offset=0 (local.get $zp)))
                (local.set $z1 (v128.load offset=16 (local.get $zp)))
                (local.set $s (v128.load32_splat offset=0 (local.get $hp)))
                (local.set $z0 (f32x4.add (local.get $z0) (f32x4.mul (local.get $s) (local.get $w00))))
                (local.set $z1 (f32x4.add (local.get $z1) (f32x4.mul (local.get $s) (local.get $w01))))
                (local.set $s (v128.load32_splat offset=4 (local.get $hp)))
                (local.set $z0 (f32x4.add (local.get $z0) (f32x4.mul (local.get $s) (local.get $w10))))
                (local.set $z1 (f32x4.add (local.get $z1) (f32x4.mul (local.get $s) (local.get $w11))))
                (local.set $s (v128.load32_splat offset=8 (local.get $hp)))
                (local.set $z0 (f32x4.add (local.get $z0) (f32x4.mul (local.get $s) (local.get $w20))))
                (local.set $z1 (f32x4.add (local.get $z1) (f32x4.mul (local.get $s) (local.get $w21))))
                (local.set $s (v128.load32_splat offset=12 (local.get $hp)))
                (local.set $z0 (f32x4.add (local.get $z0) (f32x4.mul (local.get $s) (local.get $w30))))
                (local.set $z1 (f32x4.add (local.get $z1) (f32x4.mul (local.get $s) (local.get $w31))))
                (v128.store offset=0 (local.get $zp) (local.get $z0))
                (v128.store offset=16 (local.get $zp) (local.get $z1))
                (local.set $zp (i32.add (local.get $zp) (i32.const 32)))
                (local.set $hp (i32.add (local.get $hp) (i32.const 16)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kLoop)))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $colLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rowLoop)))
    (call $octets (local.get $zP) (local.get $z) (local.get $m) (local.get $cols) (i32.const 0)))
)
