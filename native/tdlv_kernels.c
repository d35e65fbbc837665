/*
 * Native 256-bit (AVX2) twins of the WebAssembly SIMD weight products in src/engine/runtime/kernels.wat, as a Node-API
 * addon that works directly on the tfjs WebAssembly heap (an ArrayBuffer): z = h W and out = W - h^T d for a weight
 * matrix W [rows, cols] (row-major float32) and a batch of m rows, and the backward product a W^T in the order of
 * XNNPACK's GEMM (see backward_product). Every output is accumulated in exactly the order of
 * kernels.wat, with separate multiplies and adds (no fused multiply-add: built with -ffp-contract=off and without
 * -mfma), so the results are bit-identical to the WebAssembly kernels (test/engine/native-kernels.test.ts checks it):
 *   forward:  z[k, j] = (((0 + h[k,0] W[0,j]) + h[k,1] W[1,j]) + ...)      (i = 0, 1, ... in order)
 *   update:   out[i, j] = (((W[i,j] - h[0,i] d[0,j]) - h[1,i] d[1,j]) - ...) (k = 0, 1, ... in order)
 * Built by src/engine/runtime/native-kernels.ts (npm run build, or at first use) with the system C compiler. The
 * kernels carry target("avx2"), so the addon loads on any x86-64 CPU and `supported()` says whether they may run. Callers guarantee rows % 4 == 0 and
 * cols % 16 == 0 (the WebAssembly kernels' tiling) and a scratch area of 4 m (rows + cols) bytes.
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
  if (!inside(length, z, (uint64_t)m * cols) || !inside(length, w, (uint64_t)rows * cols) ||
      !inside(length, h, (uint64_t)m * rows) || !inside(length, scratch, (uint64_t)m * (rows + cols))) {
    napi_throw_range_error(env, NULL, "tdlv native kernels: an operand lies outside the heap");
    return NULL;
  }
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
  if (!inside(length, out, (uint64_t)rows * cols) || !inside(length, w, (uint64_t)rows * cols) ||
      !inside(length, h, (uint64_t)m * rows) || !inside(length, d, (uint64_t)m * cols) ||
      !inside(length, scratch, (uint64_t)m * (rows + cols))) {
    napi_throw_range_error(env, NULL, "tdlv native kernels: an operand lies outside the heap");
    return NULL;
  }
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
  if (!inside(length, out, (uint64_t)m * rows) || !inside(length, w, (uint64_t)rows * cols) ||
      !inside(length, a, (uint64_t)m * cols) || !inside(length, scratch, (uint64_t)m * (cols + 8))) {
    napi_throw_range_error(env, NULL, "tdlv native kernels: an operand lies outside the heap");
    return NULL;
  }
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

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"denseForward", NULL, DenseForward, NULL, NULL, NULL, napi_default, NULL},
      {"rankUpdate", NULL, RankUpdate, NULL, NULL, NULL, napi_default, NULL},
      {"supported", NULL, Supported, NULL, NULL, NULL, napi_default, NULL},
      {"peak", NULL, Peak, NULL, NULL, NULL, napi_default, NULL},
      {"backwardProduct", NULL, BackwardProduct, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 5, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
