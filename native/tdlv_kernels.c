/*
 * Native 256-bit (AVX2) twins of the WebAssembly SIMD weight products in src/engine/runtime/kernels.wat, as a Node-API
 * addon that works directly on the tfjs WebAssembly heap (an ArrayBuffer): z = h W and out = W - h^T d for a weight
 * matrix W [rows, cols] (row-major float32) and a batch of m rows, the backward product a W^T in the order of
 * XNNPACK's GEMM (see backward_product), and tanh with the bits of tfjs-wasm's Tanh (see tanh_float). Every product
 * is accumulated in exactly the order of kernels.wat, with separate multiplies and adds (no fused multiply-add: built
 * with -ffp-contract=off and without -mfma), so the results are bit-identical to the WebAssembly kernels
 * (test/engine/native-kernels.test.ts checks it):
 *   forward:  z[k, j] = (((0 + h[k,0] W[0,j]) + h[k,1] W[1,j]) + ...)      (i = 0, 1, ... in order)
 *   update:   out[i, j] = (((W[i,j] - h[0,i] d[0,j]) - h[1,i] d[1,j]) - ...) (k = 0, 1, ... in order)
 * Built by src/engine/runtime/native-kernels.ts (npm run build, or at first use) with the system C compiler. The
 * kernels carry target("avx2"), so the addon loads on any x86-64 CPU and `supported()` says whether they may run.
 * Callers guarantee rows % 4 == 0 and cols % 16 == 0 (the WebAssembly kernels' tiling) and a scratch area of
 * 4 m (rows + cols) bytes.
 */
#include <immintrin.h>
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#define COLS 16 /* columns per tile: two 256-bit registers */

/* dst [n / 4, m, 4] <- src [m, n]: quads of columns, each quad's m rows contiguous (the batch h by quads of W's rows). */
static void pack_quads(float *dst, const float *src, uint32_t m, uint32_t n) {
  for (uint32_t q = 0; q < n; q += 4)
    for (uint32_t k = 0; k < m; k++, dst += 4) memcpy(dst, src + (size_t)k * n + q, 16);
}

/* Between [m, n] (flat) and [n / 16, m, 16] (blocked). */
static void blocks_of_16(float *blocked, float *flat, uint32_t m, uint32_t n, int to_blocks) {
  for (uint32_t b = 0; b < n; b += COLS)
    for (uint32_t k = 0; k < m; k++, blocked += COLS) {
      if (to_blocks)
        memcpy(blocked, flat + (size_t)k * n + b, 4 * COLS);
      else
        memcpy(flat + (size_t)k * n + b, blocked, 4 * COLS);
    }
}

/* The 4 x 16 tile of W at row i, column j: t[2r] and t[2r + 1] are row i + r's 16 floats. */
__attribute__((target("avx2"))) static inline void load_tile(const float *wp, uint32_t cols, __m256 t[8]) {
  for (int r = 0; r < 4; r++) {
    t[2 * r] = _mm256_loadu_ps(wp + (size_t)r * cols);
    t[2 * r + 1] = _mm256_loadu_ps(wp + (size_t)r * cols + 8);
  }
}

__attribute__((target("avx2"))) static void dense_forward(float *z, const float *w, const float *h, uint32_t rows,
                                                           uint32_t cols, uint32_t m, float *scratch) {
  float *hq = scratch;
  float *zp = scratch + (size_t)m * rows;
  pack_quads(hq, h, m, rows);
  memset(zp, 0, 4 * (size_t)m * cols);
  for (uint32_t i = 0; i < rows; i += 4) {
    const float *hp0 = hq + (size_t)i * m;
    float *zb = zp;
    for (uint32_t j = 0; j < cols; j += COLS, zb += (size_t)m * COLS) {
      __m256 t[8];
      load_tile(w + (size_t)i * cols + j, cols, t);
      const float *hp = hp0;
      float *zk = zb;
      for (uint32_t k = 0; k < m; k++, hp += 4, zk += COLS) {
        __m256 z0 = _mm256_loadu_ps(zk), z1 = _mm256_loadu_ps(zk + 8);
        for (int r = 0; r < 4; r++) {
          const __m256 s = _mm256_broadcast_ss(hp + r);
          z0 = _mm256_add_ps(z0, _mm256_mul_ps(s, t[2 * r]));
          z1 = _mm256_add_ps(z1, _mm256_mul_ps(s, t[2 * r + 1]));
        }
        _mm256_storeu_ps(zk, z0);
        _mm256_storeu_ps(zk + 8, z1);
      }
    }
  }
  blocks_of_16(zp, z, m, cols, 0);
}

__attribute__((target("avx2"))) static void rank_update(float *out, const float *w, const float *h, const float *d,
                                                         uint32_t rows, uint32_t cols, uint32_t m, float *scratch) {
  float *hq = scratch;
  float *dp = scratch + (size_t)m * rows;
  pack_quads(hq, h, m, rows);
  blocks_of_16(dp, (float *)d, m, cols, 1);
  for (uint32_t i = 0; i < rows; i += 4) {
    const float *db = dp;
    for (uint32_t j = 0; j < cols; j += COLS, db += (size_t)m * COLS) {
      __m256 a[8];
      load_tile(w + (size_t)i * cols + j, cols, a);
      const float *hp = hq + (size_t)i * m;
      const float *dk = db;
      for (uint32_t k = 0; k < m; k++, hp += 4, dk += COLS) {
        const __m256 x0 = _mm256_loadu_ps(dk), x1 = _mm256_loadu_ps(dk + 8);
        for (int r = 0; r < 4; r++) {
          const __m256 s = _mm256_broadcast_ss(hp + r);
          a[2 * r] = _mm256_sub_ps(a[2 * r], _mm256_mul_ps(s, x0));
          a[2 * r + 1] = _mm256_sub_ps(a[2 * r + 1], _mm256_mul_ps(s, x1));
        }
      }
      float *op = out + (size_t)i * cols + j;
      for (int r = 0; r < 4; r++) {
        _mm256_storeu_ps(op + (size_t)r * cols, a[2 * r]);
        _mm256_storeu_ps(op + (size_t)r * cols + 8, a[2 * r + 1]);
      }
    }
  }
}

/* The 8 x 8 transpose of r[0..7] (rows) in registers: c[u] holds column u. Only moves floats. */
__attribute__((target("avx2"))) static inline void transpose8(const __m256 r[8], __m256 c[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  c[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  c[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  c[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  c[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  c[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  c[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  c[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  c[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/*
 * The backward product out = a W^T for a [m, cols] and W [rows, cols]: out[k, i] = (((0 + a[k,0] W[i,0]) + a[k,1]
 * W[i,1]) + ...) (j = 0, 1, ... in order), the order of XNNPACK's f32 GEMM that tfjs runs for it (measured equal on
 * every shape of test/engine/native-kernels.test.ts). Eight rows of W at a time: each 8 x 8 tile is transposed in
 * registers so that a vector holds one column of the eight rows, and each of the m output rows accumulates its eight
 * outputs in a scratch row (m x 8 floats, in L1). rows % 8 == 0, cols % 8 == 0; scratch m (cols + 8) floats.
 */
__attribute__((target("avx2"))) static void backward_product(float *out, const float *w, const float *a,
                                                              uint32_t rows, uint32_t cols, uint32_t m,
                                                              float *scratch) {
  /* a packed by blocks of eight columns, [cols / 8, m, 8]: the m x 8 values a tile reads are one contiguous run.
   * Read in place, a's m rows lie cols floats apart, which for a power-of-two width puts them (and the tile's
   * eight rows of W) in one L1 set: the product ran at half speed at 2048 x 2048 and full speed at 2048 x 2064. */
  float *ap = scratch;
  float *acc = scratch + (size_t)m * cols;
  for (uint32_t j = 0; j < cols; j += 8)
    for (uint32_t k = 0; k < m; k++) memcpy(ap + (size_t)j * m + 8 * (size_t)k, a + (size_t)k * cols + j, 32);
  for (uint32_t i = 0; i < rows; i += 8) {
    memset(acc, 0, 4 * 8 * (size_t)m);
    for (uint32_t j = 0; j < cols; j += 8) {
      __m256 r[8], c[8];
      for (int t = 0; t < 8; t++) r[t] = _mm256_loadu_ps(w + (size_t)(i + t) * cols + j);
      transpose8(r, c);
      const float *ak = ap + (size_t)j * m;
      float *sk = acc;
      for (uint32_t k = 0; k < m; k++, ak += 8, sk += 8) {
        __m256 s = _mm256_loadu_ps(sk);
        for (int u = 0; u < 8; u++) s = _mm256_add_ps(s, _mm256_mul_ps(_mm256_broadcast_ss(ak + u), c[u]));
        _mm256_storeu_ps(sk, s);
      }
    }
    for (uint32_t k = 0; k < m; k++) memcpy(out + (size_t)k * rows + i, acc + 8 * (size_t)k, 32);
  }
}

/*
 * The ceiling of these kernels' arithmetic on this core (bench/cell.ts): 256-bit multiplies and separate adds with
 * every operand in a register, eight independent accumulators so that neither latency nor memory limits it; the twin
 * of bench/simd-peak.wat. 32 multiply-add pairs of 8 floats (512 flops) per iteration.
 */
__attribute__((target("avx2"))) static float peak(uint32_t iterations) {
  const __m256 s = _mm256_set1_ps(1.0000001f);
  const __m256 w0 = _mm256_set1_ps(0.5f), w1 = _mm256_set1_ps(0.25f), w2 = _mm256_set1_ps(0.125f),
               w3 = _mm256_set1_ps(0.0625f);
  __m256 a[8];
  for (int r = 0; r < 8; r++) a[r] = _mm256_setzero_ps();
  for (uint32_t i = 0; i < iterations; i++) {
    for (int r = 0; r < 8; r++) a[r] = _mm256_add_ps(a[r], _mm256_mul_ps(s, w0));
    for (int r = 0; r < 8; r++) a[r] = _mm256_add_ps(a[r], _mm256_mul_ps(s, w1));
    for (int r = 0; r < 8; r++) a[r] = _mm256_add_ps(a[r], _mm256_mul_ps(s, w2));
    for (int r = 0; r < 8; r++) a[r] = _mm256_add_ps(a[r], _mm256_mul_ps(s, w3));
  }
  __m256 t = a[0];
  for (int r = 1; r < 8; r++) t = _mm256_add_ps(t, a[r]);
  float out[8];
  _mm256_storeu_ps(out, t);
  return out[0];
}

/* ---- tanh with the bits of tfjs-wasm's Tanh kernel ----------------------------------------------------------------
 * tfjs's WebAssembly backend applies its C library's tanhf to each element, and that library is musl, whose tanhf and
 * expm1f descend from FreeBSD's msun (s_tanhf.c, s_expm1f.c; Sun's fdlibm before it). The two functions below do the
 * same float operations in the same order: x86-64 evaluates float expressions in float (FLT_EVAL_METHOD 0), as
 * WebAssembly does, and the build forbids contraction into fused multiply-adds, so every result has the same bits as
 * tfjs-wasm's Tanh. `npm run check:tanh` compares them on all 2^32 inputs; test/engine/native-kernels.test.ts on a
 * sample of every range. A branch-free vector version would be faster still, at the price of a second proof. */

typedef union {
  float f;
  uint32_t u;
} float_bits;

static float bits_to_float(uint32_t u) {
  float_bits b = {.u = u};
  return b.f;
}

/* e^x - 1 in float: reduce x = k ln2 + r (ln2 split in a high part exact in products with k and a low part, the
 * rounding of the reduction carried in c), a rational approximation of e^r - 1 on |r| <= ln2 / 2, scale by 2^k. */
static float expm1_float(float x) {
  const float ln2_high = 6.9313812256e-01f, ln2_low = 9.0580006145e-06f, inv_ln2 = 1.4426950216e+00f;
  const float q1 = -3.3333212137e-2f, q2 = 1.5807170421e-3f;
  float_bits in = {.f = x};
  const uint32_t magnitude = in.u & 0x7fffffff;
  const int negative = in.u >> 31;
  int k;
  float c = 0;
  if (magnitude >= 0x4195b844) { /* |x| >= 27 ln2: NaN, -1, or overflow */
    if (magnitude > 0x7f800000) return x;
    if (negative) return -1;
    if (x > 8.8721679688e+01f) return x * 0x1p127f;
  }
  if (magnitude > 0x3eb17218) { /* |x| > ln2 / 2: reduce */
    float high, low;
    if (magnitude < 0x3f851592) { /* |x| < 3 ln2 / 2: k = +-1 */
      k = negative ? -1 : 1;
      high = negative ? x + ln2_high : x - ln2_high;
      low = negative ? -ln2_low : ln2_low;
    } else {
      k = (int)(inv_ln2 * x + (negative ? -0.5f : 0.5f));
      const float kf = (float)k;
      high = x - kf * ln2_high;
      low = kf * ln2_low;
    }
    x = high - low;
    c = (high - x) - low;
  } else if (magnitude < 0x33000000) { /* |x| < 2^-25 */
    return x;
  } else {
    k = 0;
  }
  const float half_x = 0.5f * x;
  const float half_x2 = x * half_x;
  const float r1 = 1.0f + half_x2 * (q1 + half_x2 * q2);
  const float t = 3.0f - r1 * half_x;
  float e = half_x2 * ((r1 - t) / (6.0f - x * t));
  if (k == 0) return x - (x * e - half_x2);
  e = x * (e - c) - c;
  e -= half_x2;
  if (k == -1) return 0.5f * (x - e) - 0.5f;
  if (k == 1) return x < -0.25f ? -2.0f * (e - (x + 0.5f)) : 1.0f + 2.0f * (x - e);
  const float two_k = bits_to_float((uint32_t)(0x7f + k) << 23);
  if (k < 0 || k > 56) {
    const float y = x - e + 1.0f;
    return (k == 128 ? y * 2.0f * 0x1p127f : y * two_k) - 1.0f;
  }
  const float two_minus_k = bits_to_float((uint32_t)(0x7f - k) << 23);
  return k < 23 ? (x - e + (1 - two_minus_k)) * two_k : (x - (e + two_minus_k) + 1) * two_k;
}

/* tanh in float, odd by construction: on |x|, through expm1 of 2|x| or -2|x| by range; 1 beyond 10 (NaN stays NaN). */
static float tanh_float(float x) {
  float_bits in = {.f = x};
  const int negative = in.u >> 31;
  const uint32_t magnitude = in.u & 0x7fffffff;
  const float a = bits_to_float(magnitude);
  float t;
  if (magnitude > 0x3f0c9f54) { /* |x| > ln(3) / 2, or NaN */
    if (magnitude > 0x41200000) {
      t = 1 + 0 / a;
    } else {
      t = expm1_float(2 * a);
      t = 1 - 2 / (t + 2);
    }
  } else if (magnitude > 0x3e82c578) { /* |x| > ln(5/3) / 2 */
    t = expm1_float(2 * a);
    t = t / (t + 2);
  } else if (magnitude >= 0x00800000) { /* normal */
    t = expm1_float(-2 * a);
    t = -t / (t + 2);
  } else { /* subnormal or zero */
    t = a;
  }
  return negative ? -t : t;
}

/* Eight lanes of tanh_float at once and without branches: each lane evaluates every case's float operations and keeps
 * the ones its scalar twin would take, so its bits are tanh_float's (`npm run check:tanh` checks this version, the one
 * that runs, on all 2^32 inputs). The arguments tanh_float passes to expm1_float are 2|x| in (0.51, 20] and -2|x| in
 * [-0.51, -2^-125], where expm1_float's overflow branch and its k < 0 || k > 56 branch never run, and where k = +-1
 * and k = 0 are its general reduction with k fixed (k ln2_high and k ln2_low are then exactly +-ln2_high, +-ln2_low
 * and 0, so hi, lo, x and c come out the same), which is how they are evaluated here. */
#define I8(v) _mm256_set1_epi32((int)(v))
#define F8(v) _mm256_set1_ps(v)
#define PICK(mask, yes, no) _mm256_blendv_ps((no), (yes), _mm256_castsi256_ps(mask))

__attribute__((target("avx2"))) static __m256 expm1_8(__m256 u) {
  const __m256i ui = _mm256_castps_si256(u);
  const __m256i hu = _mm256_and_si256(ui, I8(0x7fffffff));
  const __m256i negative = _mm256_srai_epi32(ui, 31);
  const __m256i tiny = _mm256_cmpgt_epi32(I8(0x33000000), hu);
  const __m256i reduce = _mm256_cmpgt_epi32(hu, I8(0x3eb17218));
  const __m256i near = _mm256_cmpgt_epi32(I8(0x3f851592), hu);
  const __m256i half_bits = _mm256_or_si256(_mm256_castps_si256(F8(0.5f)), _mm256_slli_epi32(negative, 31));
  const __m256 half = _mm256_castsi256_ps(half_bits); /* -0.5 or 0.5 */
  const __m256i k_far = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(F8(1.4426950216e+00f), u), half));
  const __m256i k_near = _mm256_or_si256(negative, I8(1)); /* -1 or 1 */
  const __m256i k = _mm256_and_si256(reduce, _mm256_blendv_epi8(k_far, k_near, near));
  const __m256 kf = _mm256_cvtepi32_ps(k);
  const __m256 hi = _mm256_sub_ps(u, _mm256_mul_ps(kf, F8(6.9313812256e-01f)));
  const __m256 lo = _mm256_mul_ps(kf, F8(9.0580006145e-06f));
  const __m256 x = _mm256_sub_ps(hi, lo);
  const __m256 c = _mm256_sub_ps(_mm256_sub_ps(hi, x), lo);
  const __m256 half_x = _mm256_mul_ps(F8(0.5f), x);
  const __m256 half_x2 = _mm256_mul_ps(x, half_x);
  const __m256 r1 = _mm256_add_ps(
      F8(1.0f),
      _mm256_mul_ps(half_x2, _mm256_add_ps(F8(-3.3333212137e-2f), _mm256_mul_ps(half_x2, F8(1.5807170421e-3f)))));
  const __m256 t = _mm256_sub_ps(F8(3.0f), _mm256_mul_ps(r1, half_x));
  const __m256 e = _mm256_mul_ps(half_x2,
                                 _mm256_div_ps(_mm256_sub_ps(r1, t), _mm256_sub_ps(F8(6.0f), _mm256_mul_ps(x, t))));
  const __m256 r_k0 = _mm256_sub_ps(x, _mm256_sub_ps(_mm256_mul_ps(x, e), half_x2));
  const __m256 e2 = _mm256_sub_ps(_mm256_sub_ps(_mm256_mul_ps(x, _mm256_sub_ps(e, c)), c), half_x2);
  const __m256 x_minus_e2 = _mm256_sub_ps(x, e2);
  const __m256 r_minus1 = _mm256_sub_ps(_mm256_mul_ps(F8(0.5f), x_minus_e2), F8(0.5f));
  const __m256 below = _mm256_cmp_ps(x, F8(-0.25f), _CMP_LT_OQ);
  const __m256 r_1 = _mm256_blendv_ps(_mm256_add_ps(F8(1.0f), _mm256_mul_ps(F8(2.0f), x_minus_e2)),
                                      _mm256_mul_ps(F8(-2.0f), _mm256_sub_ps(e2, _mm256_add_ps(x, F8(0.5f)))), below);
  const __m256 two_k = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, I8(0x7f)), 23));
  const __m256 two_minus_k = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_sub_epi32(I8(0x7f), k), 23));
  const __m256 r_small = _mm256_mul_ps(_mm256_add_ps(x_minus_e2, _mm256_sub_ps(F8(1.0f), two_minus_k)), two_k);
  const __m256 r_large =
      _mm256_mul_ps(_mm256_add_ps(_mm256_sub_ps(x, _mm256_add_ps(e2, two_minus_k)), F8(1.0f)), two_k);
  __m256 r = PICK(_mm256_cmpgt_epi32(I8(23), k), r_small, r_large);
  r = PICK(_mm256_cmpeq_epi32(k, I8(1)), r_1, r);
  r = PICK(_mm256_cmpeq_epi32(k, I8(-1)), r_minus1, r);
  r = PICK(_mm256_cmpeq_epi32(k, I8(0)), r_k0, r);
  return PICK(tiny, u, r);
}

__attribute__((target("avx2"))) static __m256 tanh8(__m256 x) {
  const __m256i xi = _mm256_castps_si256(x);
  const __m256i w = _mm256_and_si256(xi, I8(0x7fffffff));
  const __m256i sign = _mm256_andnot_si256(I8(0x7fffffff), xi);
  const __m256 a = _mm256_castsi256_ps(w);
  const __m256i beyond_ten = _mm256_cmpgt_epi32(w, I8(0x41200000)); /* |x| > 10, or NaN */
  const __m256i large = _mm256_cmpgt_epi32(w, I8(0x3f0c9f54));      /* |x| > ln(3) / 2 */
  const __m256i middle = _mm256_cmpgt_epi32(w, I8(0x3e82c578));     /* |x| > ln(5/3) / 2 */
  const __m256i normal = _mm256_cmpgt_epi32(w, I8(0x007fffff));
  const __m256 u = PICK(middle, _mm256_mul_ps(F8(2.0f), a), _mm256_mul_ps(F8(-2.0f), a));
  const __m256 t = expm1_8(u);
  const __m256 d = _mm256_add_ps(t, F8(2.0f));
  const __m256 minus_t = _mm256_xor_ps(t, F8(-0.0f));
  const __m256 q = _mm256_div_ps(PICK(large, F8(2.0f), PICK(middle, t, minus_t)), d);
  __m256 r = PICK(large, _mm256_sub_ps(F8(1.0f), q), q);
  r = PICK(beyond_ten, _mm256_add_ps(F8(1.0f), _mm256_div_ps(F8(0.0f), a)), r);
  r = PICK(normal, r, a);
  return _mm256_xor_ps(r, _mm256_castsi256_ps(sign));
}

__attribute__((target("avx2"))) static void tanh_all(float *ys, const float *xs, uint32_t count) {
  uint32_t i = 0;
  for (; i + 8 <= count; i += 8) _mm256_storeu_ps(ys + i, tanh8(_mm256_loadu_ps(xs + i)));
  for (; i < count; i++) ys[i] = tanh_float(xs[i]);
}

/* ---- x^2 with the bits of tfjs-wasm's pow(x, 2) -------------------------------------------------------------------
 * tfjs's Frobenius norm squares through its Pow kernel, whose powf (musl's, computed in double) is not correctly
 * rounded: pow(x, 2) differs from x * x on 769,747 of the 2^31 non-negative floats. Measured over all of them, every
 * such input has an exact square x^2 (a double: 48 significant bits) within 0.0017 ulp of a float rounding midpoint.
 * So where x^2 lies at least 2^-7 ulp from every midpoint (98.4% of inputs), pow and the rounded square agree; the
 * rest (near a midpoint, a power-of-two result, a nonzero square outside the normal floats, NaN) are listed for tfjs's
 * own Pow.
 * `npm run check:pow2` proves the split on all 2^32 inputs against tfjs-wasm's Pow. Returns the number listed. */
static uint32_t square_or_defer(float *out, const float *xs, uint32_t count, uint32_t *deferred) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < count; i++) {
    const float x = xs[i];
    const double exact = (double)x * (double)x;
    const float rounded = (float)exact;
    float_bits b = {.f = rounded};
    const uint32_t exponent = (b.u >> 23) & 0xff;
    int sure = exact >= 0x1p-126 && exact < 0x1p127 && (b.u & 0x7fffff) != 0;
    if (exact == 0) sure = 1; /* pow(+-0, 2) = +0 = x * x: the parameters a step did not move */
    if (sure) {
      union {
        uint64_t u;
        double d;
      } ulp = {.u = (uint64_t)(exponent - 150 + 1023) << 52}; /* 2^(exponent - 150), the float's ulp */
      const double residual = __builtin_fabs(exact - (double)rounded); /* exact: within half an ulp of each other */
      sure = __builtin_fabs(residual - 0.5 * ulp.d) >= 0x1p-7 * ulp.d;
    }
    out[i] = rounded;
    if (!sure) deferred[k++] = i;
  }
  return k;
}

/* ---- Node-API: (heap: ArrayBuffer, byte offsets..., rows, cols, m) ------------------------------------------------ */

static int read_args(napi_env env, napi_callback_info info, size_t want, char **base, size_t *length, uint32_t *v) {
  napi_value argv[10];
  size_t argc = 10;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != want) {
    napi_throw_error(env, NULL, "tdlv native kernels: wrong number of arguments");
    return 0;
  }
  void *data;
  if (napi_get_arraybuffer_info(env, argv[0], &data, length) != napi_ok) {
    napi_throw_type_error(env, NULL, "tdlv native kernels: the heap must be an ArrayBuffer");
    return 0;
  }
  *base = (char *)data;
  for (size_t a = 1; a < want; a++)
    if (napi_get_value_uint32(env, argv[a], &v[a - 1]) != napi_ok) {
      napi_throw_type_error(env, NULL, "tdlv native kernels: offsets and sizes are unsigned integers");
      return 0;
    }
  return 1;
}

/* Whether [offset, offset + 4 count) lies inside the heap and is float-aligned. */
static int inside(size_t length, uint64_t offset, uint64_t count) {
  return offset % 4 == 0 && offset + 4 * count <= length;
}

/* Whether each of n operands {byte offset, float count} lies inside the heap; throws a RangeError if one does not. */
static int operands_inside(napi_env env, size_t length, size_t n, const uint64_t operands[][2]) {
  for (size_t k = 0; k < n; k++)
    if (!inside(length, operands[k][0], operands[k][1])) {
      napi_throw_range_error(env, NULL, "tdlv native kernels: an operand lies outside the heap");
      return 0;
    }
  return 1;
}

static int shape_ok(napi_env env, uint32_t rows, uint32_t cols, uint32_t m) {
  if (rows % 4 || cols % COLS || !rows || !cols || !m) {
    napi_throw_range_error(env, NULL, "tdlv native kernels: rows % 4, cols % 16 and m must fit the tiling");
    return 0;
  }
  return 1;
}

/* denseForward(heap, z, w, h, scratch, rows, cols, m) */
static napi_value DenseForward(napi_env env, napi_callback_info info) {
  char *base;
  size_t length;
  uint32_t v[7];
  if (!read_args(env, info, 8, &base, &length, v)) return NULL;
  const uint32_t z = v[0], w = v[1], h = v[2], scratch = v[3], rows = v[4], cols = v[5], m = v[6];
  if (!shape_ok(env, rows, cols, m)) return NULL;
  const uint64_t operands[][2] = {{z, (uint64_t)m * cols}, {w, (uint64_t)rows * cols}, {h, (uint64_t)m * rows},
                                  {scratch, (uint64_t)m * (rows + cols)}};
  if (!operands_inside(env, length, 4, operands)) return NULL;
  dense_forward((float *)(base + z), (const float *)(base + w), (const float *)(base + h), rows, cols, m,
                (float *)(base + scratch));
  return NULL;
}

/* rankUpdate(heap, out, w, h, d, scratch, rows, cols, m) */
static napi_value RankUpdate(napi_env env, napi_callback_info info) {
  char *base;
  size_t length;
  uint32_t v[8];
  if (!read_args(env, info, 9, &base, &length, v)) return NULL;
  const uint32_t out = v[0], w = v[1], h = v[2], d = v[3], scratch = v[4], rows = v[5], cols = v[6], m = v[7];
  if (!shape_ok(env, rows, cols, m)) return NULL;
  const uint64_t operands[][2] = {{out, (uint64_t)rows * cols}, {w, (uint64_t)rows * cols}, {h, (uint64_t)m * rows},
                                  {d, (uint64_t)m * cols}, {scratch, (uint64_t)m * (rows + cols)}};
  if (!operands_inside(env, length, 5, operands)) return NULL;
  rank_update((float *)(base + out), (const float *)(base + w), (const float *)(base + h), (const float *)(base + d),
              rows, cols, m, (float *)(base + scratch));
  return NULL;
}

/* peak(iterations): runs the ceiling loop, returns a float that depends on it (so that it is not optimised away). */
static napi_value Peak(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  size_t argc = 1;
  uint32_t n = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 1 || napi_get_value_uint32(env, argv[0], &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "tdlv native kernels: peak(iterations)");
    return NULL;
  }
  napi_create_double(env, peak(n), &result);
  return result;
}

/* backwardProduct(heap, out, w, a, scratch, rows, cols, m): out [m, rows] = a [m, cols] W^T. */
static napi_value BackwardProduct(napi_env env, napi_callback_info info) {
  char *base;
  size_t length;
  uint32_t v[7];
  if (!read_args(env, info, 8, &base, &length, v)) return NULL;
  const uint32_t out = v[0], w = v[1], a = v[2], scratch = v[3], rows = v[4], cols = v[5], m = v[6];
  if (rows % 8 || cols % 8 || !rows || !cols || !m) {
    napi_throw_range_error(env, NULL, "tdlv native kernels: rows % 8, cols % 8 and m must fit the tiling");
    return NULL;
  }
  const uint64_t operands[][2] = {{out, (uint64_t)m * rows}, {w, (uint64_t)rows * cols}, {a, (uint64_t)m * cols},
                                  {scratch, (uint64_t)m * (cols + 8)}};
  if (!operands_inside(env, length, 4, operands)) return NULL;
  backward_product((float *)(base + out), (const float *)(base + w), (const float *)(base + a), rows, cols, m,
                   (float *)(base + scratch));
  return NULL;
}

/* supported(): whether this CPU has AVX2 (the kernels are compiled for it; the rest of the addon is plain x86-64). */
static napi_value Supported(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  __builtin_cpu_init();
  napi_get_boolean(env, __builtin_cpu_supports("avx2"), &result);
  return result;
}

/* tanh(heap, x, out, count): out[i] = tanh(x[i]) with tfjs-wasm's bits (out may be x). */
static napi_value Tanh(napi_env env, napi_callback_info info) {
  char *base;
  size_t length;
  uint32_t v[3];
  if (!read_args(env, info, 4, &base, &length, v)) return NULL;
  const uint32_t x = v[0], out = v[1], count = v[2];
  const uint64_t operands[][2] = {{x, count}, {out, count}};
  if (!operands_inside(env, length, 2, operands)) return NULL;
  const float *xs = (const float *)(base + x);
  float *ys = (float *)(base + out);
  tanh_all(ys, xs, count);
  return NULL;
}

/* squareOrDefer(heap, x, out, count, deferred): out[i] = x[i]^2 rounded, and the indices where tfjs's pow(x, 2) may
 * differ written to the uint32 array at `deferred` (room for count); returns how many. */
static napi_value SquareOrDefer(napi_env env, napi_callback_info info) {
  char *base;
  size_t length;
  uint32_t v[4];
  if (!read_args(env, info, 5, &base, &length, v)) return NULL;
  const uint32_t x = v[0], out = v[1], count = v[2], deferred = v[3];
  const uint64_t operands[][2] = {{x, count}, {out, count}, {deferred, count}};
  if (!operands_inside(env, length, 3, operands)) return NULL;
  const uint32_t k = square_or_defer((float *)(base + out), (const float *)(base + x), count,
                                     (uint32_t *)(base + deferred));
  napi_value result;
  napi_create_uint32(env, k, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"denseForward", NULL, DenseForward, NULL, NULL, NULL, napi_default, NULL},
      {"rankUpdate", NULL, RankUpdate, NULL, NULL, NULL, napi_default, NULL},
      {"supported", NULL, Supported, NULL, NULL, NULL, napi_default, NULL},
      {"peak", NULL, Peak, NULL, NULL, NULL, napi_default, NULL},
      {"backwardProduct", NULL, BackwardProduct, NULL, NULL, NULL, napi_default, NULL},
      {"tanh", NULL, Tanh, NULL, NULL, NULL, napi_default, NULL},
      {"squareOrDefer", NULL, SquareOrDefer, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 7, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
