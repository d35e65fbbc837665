/**
 * Portable float64 elementary functions: the fdlibm algorithms (Sun Microsystems 1993, freely redistributable) that
 * Node 20's V8 computes Math.exp, log, log1p, expm1, tanh, sin, cos, tan, acos, asin and pow with, written in
 * TypeScript so that the same bits come out in any JavaScript engine.
 *
 * Why: the lab (src/lab/) runs tdlv's cells in a browser, and a browser's V8 need not compute Math.* as Node does.
 * Chromium 156 returns another last bit than Node 20 on about 5-10% of arguments of exp, log, sin, cos, tan, asin and
 * acos (measured; newer V8 takes several functions from LLVM's libc). The cells' float32 networks absorb that, but
 * float64 quantities (analytic kernels, quadrature, a deviation from the limit kernel) do not. The lab's worker
 * therefore installs these functions as Math.* before anything else runs (src/lab/portable-math.ts);
 * test/engine/libm.test.ts proves them bit-identical to Node's Math on over a million arguments.
 *
 * pow (and **, which the lab's bundle lowers to Math.pow) is V8's own fdlibm-derived e_pow.c in Node 20, not the C
 * library's: measured here, Node's Math.pow agrees with glibc's pow (what Python and Chromium 156 compute) on only 90%
 * of random arguments, and with this port on all of them. Chromium's V8 computes it with the C library (its
 * use_std_math_pow), which is why the lab needs it.
 *
 * Each function follows its fdlibm source (e_exp.c, e_log.c, s_log1p.c, s_expm1.c, s_tanh.c, k_sin.c, k_cos.c,
 * e_rem_pio2.c, k_tan.c, e_acos.c, e_asin.c, and e_pow.c with V8's special cases): the same constants, the same
 * operations in the same order, with the 32-bit word manipulations of C done on a shared Float64Array. Arguments of
 * sin, cos and tan beyond 2^19 pi/2 (which need the Payne-Hanek reduction) fall back to the engine's own functions;
 * tdlv never uses them there.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('libm: a little-endian platform is needed');

/** The high 32-bit word of x as a signed int (sign, exponent and 20 bits of the significand). */
function high(x: number): number {
  f64[0] = x;
  return u32[1]! | 0;
}
/** The low 32-bit word of x, unsigned. */
function low(x: number): number {
  f64[0] = x;
  return u32[0]!;
}
/** The double with these high and low words. */
function fromWords(hi: number, lo: number): number {
  u32[1] = hi >>> 0;
  u32[0] = lo >>> 0;
  return f64[0]!;
}
/** x with its high word replaced. */
function withHigh(x: number, hi: number): number {
  f64[0] = x;
  u32[1] = hi >>> 0;
  return f64[0]!;
}
/** x with its low word zeroed (the "high part" of a double in fdlibm's splittings). */
function clearLow(x: number): number {
  f64[0] = x;
  u32[0] = 0;
  return f64[0]!;
}

const HUGE = 1.0e300;
const TINY = 1.0e-300;
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const TWO54 = 1.8014398509481984e16;
const TWOM1000 = 9.3326361850321887899e-302;

// The polynomial of exp(r) on [-ln2/2, ln2/2] (fdlibm e_exp.c), shared by exp and pow.
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;

/** e^x (fdlibm e_exp.c). */
export function exp(x: number): number {
  // V8 returns the double nearest e for exp(1) (the algorithm alone gives one ulp more).
  if (x === 1) return 2.718281828459045;
  let hx = high(x);
  const negative = hx < 0 ? 1 : 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | low(x)) !== 0) return x + x;
      return negative ? 0 : x;
    }
    if (x > 7.09782712893383973096e2) return HUGE * HUGE;
    if (x < -7.4513321910194110842e2) return TWOM1000 * TWOM1000;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    if (HUGE + x > 1) return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * 8.98846567431158e307;
    return y * fromWords((0x3ff + k) << 20, 0);
  }
  return y * fromWords((0x3ff + k + 1000) << 20, 0) * TWOM1000;
}

const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/** The natural logarithm (fdlibm e_log.c). */
export function log(x: number): number {
  let hx = high(x);
  const lx = low(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = high(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i0 = (hx + 0x95f64) & 0x100000;
  x = withHigh(x, hx | (i0 ^ 0x3ff00000));
  k += i0 >> 20;
  const f = x - 1.0;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  let i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/** log(1 + x), accurate near 0 (fdlibm s_log1p.c). */
export function log1p(x: number): number {
  const hx = high(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    if (ax >= 0x3ff00000) return x === -1.0 ? -Infinity : NaN;
    if (ax < 0x3e200000) {
      if (TWO54 + x > 0 && ax < 0x3c900000) return x;
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = high(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = high(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHigh(u, hu | 0x3ff00000);
    } else {
      k += 1;
      u = withHigh(u, hu | 0x3fe00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}

/** e^x - 1, accurate near 0 (fdlibm s_expm1.c). */
export function expm1(x: number): number {
  const Q1 = -3.33333333333331316428e-2;
  const Q2 = 1.58730158725481460165e-3;
  const Q3 = -7.93650757867487942473e-5;
  const Q4 = 4.00821782732936239552e-6;
  const Q5 = -2.01099218183624371326e-7;
  let hx = high(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | low(x)) !== 0) return x + x;
        return negative ? -1.0 : x;
      }
      if (x > 7.09782712893383973096e2) return HUGE * HUGE;
    }
    if (negative && x + TINY < 0) return TINY - 1;
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) {
      if (!negative) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    const t = HUGE + x;
    return x - (t - (HUGE + x));
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1 + 2.0 * (x - e);
  let y: number;
  if (k <= -2 || k > 56) {
    y = 1 - (e - x);
    if (k === 1024) y = y * 2.0 * 8.98846567431158e307;
    else y = withHigh(y, high(y) + (k << 20));
    return y - 1;
  }
  if (k < 20) {
    t = fromWords(0x3ff00000 - (0x200000 >> k), 0);
    y = t - (e - x);
  } else {
    t = fromWords((0x3ff - k) << 20, 0);
    y = x - (e + t);
    y += 1;
  }
  return withHigh(y, high(y) + (k << 20));
}

/** The hyperbolic tangent (fdlibm s_tanh.c). */
export function tanh(x: number): number {
  const jx = high(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1 / x + 1 : 1 / x - 1;
  let z: number;
  if (ix < 0x40360000) {
    if (ix < 0x3e300000) {
      if (HUGE + x > 1) return x;
    }
    if (ix >= 0x3ff00000) {
      const t = expm1(2 * Math.abs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1 - TINY;
  }
  return jx >= 0 ? z : -z;
}

/** sin on [-pi/4, pi/4] of x + y (y the tail of a reduced argument; iy = 0 when there is none). fdlibm k_sin.c. */
function kernelSin(x: number, y: number, iy: number): number {
  const S1 = -1.66666666666666324348e-1;
  const S2 = 8.33333333332248946124e-3;
  const S3 = -1.98412698298579493134e-4;
  const S4 = 2.75573137070700676789e-6;
  const S5 = -2.50507602534068634195e-8;
  const S6 = 1.58969099521155010221e-10;
  const ix = high(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return x;
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

/** cos on [-pi/4, pi/4] of x + y (fdlibm k_cos.c). */
function kernelCos(x: number, y: number): number {
  const C1 = 4.16666666666666019037e-2;
  const C2 = -1.38888888888741095749e-3;
  const C3 = 2.48015872894767294178e-5;
  const C4 = -2.75573143513906633035e-7;
  const C5 = 2.0875723212981748279e-9;
  const C6 = -1.13596475577881948265e-11;
  const ix = high(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return 1;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

/** High words of n pi/2, n = 1..32 (fdlibm's npio2_hw), computed rather than copied. */
const NPIO2_HW = Array.from({ length: 32 }, (_, i) => high(((i + 1) * Math.PI) / 2) & 0x7fffffff);

/** x reduced by multiples of pi/2: n and the remainder y0 + y1 (fdlibm e_rem_pio2.c, medium arguments). */
const reduced = new Float64Array(2);
function remPio2(x: number): number {
  const INV_PIO2 = 6.36619772367581382433e-1;
  const PIO2_1 = 1.57079632673412561417;
  const PIO2_1T = 6.07710050650619224932e-11;
  const PIO2_2 = 6.0771005063039659766e-11;
  const PIO2_2T = 2.02226624879595063154e-21;
  const PIO2_3 = 2.0222662487111664558e-21;
  const PIO2_3T = 8.47842766036889956997e-32;
  const hx = high(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    let z: number;
    if (hx > 0) {
      z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        reduced[0] = z - PIO2_1T;
        reduced[1] = z - reduced[0] - PIO2_1T;
      } else {
        z -= PIO2_2;
        reduced[0] = z - PIO2_2T;
        reduced[1] = z - reduced[0] - PIO2_2T;
      }
      return 1;
    }
    z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      reduced[0] = z + PIO2_1T;
      reduced[1] = z - reduced[0] + PIO2_1T;
    } else {
      z += PIO2_2;
      reduced[0] = z + PIO2_2T;
      reduced[1] = z - reduced[0] + PIO2_2T;
    }
    return -1;
  }
  const t0 = Math.abs(x);
  const n = (t0 * INV_PIO2 + 0.5) | 0;
  const fn = n;
  let r = t0 - fn * PIO2_1;
  let w = fn * PIO2_1T;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    reduced[0] = r - w;
  } else {
    const j = ix >> 20;
    reduced[0] = r - w;
    let i = j - ((high(reduced[0]) >> 20) & 0x7ff);
    if (i > 16) {
      let t = r;
      w = fn * PIO2_2;
      r = t - w;
      w = fn * PIO2_2T - (t - r - w);
      reduced[0] = r - w;
      i = j - ((high(reduced[0]) >> 20) & 0x7ff);
      if (i > 49) {
        t = r;
        w = fn * PIO2_3;
        r = t - w;
        w = fn * PIO2_3T - (t - r - w);
        reduced[0] = r - w;
      }
    }
  }
  reduced[1] = r - reduced[0] - w;
  if (hx < 0) {
    reduced[0] = -reduced[0];
    reduced[1] = -reduced[1];
    return -n;
  }
  return n;
}

/** Largest |x| (high word) the medium reduction handles: about 2^19 pi/2. */
const MEDIUM = 0x413921fb;
const nativeSin = Math.sin;
const nativeCos = Math.cos;
const nativeTan = Math.tan;

/** sin (fdlibm s_sin.c). */
export function sin(x: number): number {
  const ix = high(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return x - x;
  if (ix > MEDIUM) return nativeSin(x);
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelSin(reduced[0]!, reduced[1]!, 1);
    case 1:
      return kernelCos(reduced[0]!, reduced[1]!);
    case 2:
      return -kernelSin(reduced[0]!, reduced[1]!, 1);
    default:
      return -kernelCos(reduced[0]!, reduced[1]!);
  }
}

/** cos (fdlibm s_cos.c). */
export function cos(x: number): number {
  const ix = high(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return x - x;
  if (ix > MEDIUM) return nativeCos(x);
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelCos(reduced[0]!, reduced[1]!);
    case 1:
      return -kernelSin(reduced[0]!, reduced[1]!, 1);
    case 2:
      return -kernelCos(reduced[0]!, reduced[1]!);
    default:
      return kernelSin(reduced[0]!, reduced[1]!, 1);
  }
}

// The rational approximation R(z) = P(z) / Q(z) of (asin(x) - x) / x^3 shared by acos and asin (z = x^2).
const pS0 = 1.66666666666666657415e-1;
const pS1 = -3.25565818622400915405e-1;
const pS2 = 2.01212532134862925881e-1;
const pS3 = -4.00555345006794114027e-2;
const pS4 = 7.91534994289814532176e-4;
const pS5 = 3.4793310759602116757e-5;
const qS1 = -2.40339491173441421878;
const qS2 = 2.02094576023350569471;
const qS3 = -6.8828397160545329303e-1;
const qS4 = 7.70381505559019352791e-2;
const P = (z: number) => z * (pS0 + z * (pS1 + z * (pS2 + z * (pS3 + z * (pS4 + z * pS5)))));
const Q = (z: number) => 1 + z * (qS1 + z * (qS2 + z * (qS3 + z * qS4)));

/** arccos (fdlibm e_acos.c). */
export function acos(x: number): number {
  const PI = 3.141592653589793116;
  const PIO2_HI = 1.570796326794896558;
  const PIO2_LO = 6.12323399573676603587e-17;
  const hx = high(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    if (((ix - 0x3ff00000) | low(x)) === 0) return hx > 0 ? 0.0 : PI + 2.0 * PIO2_LO;
    return NaN;
  }
  if (ix < 0x3fe00000) {
    if (ix <= 0x3c600000) return PIO2_HI + PIO2_LO;
    const z = x * x;
    const r = P(z) / Q(z);
    return PIO2_HI - (x - (PIO2_LO - x * r));
  }
  if (hx < 0) {
    const z = (1 + x) * 0.5;
    const p = P(z);
    const q = Q(z);
    const s = Math.sqrt(z);
    const r = p / q;
    const w = r * s - PIO2_LO;
    return PI - 2.0 * (s + w);
  }
  const z = (1 - x) * 0.5;
  const s = Math.sqrt(z);
  const df = clearLow(s);
  const c = (z - df * df) / (s + df);
  const r = P(z) / Q(z);
  const w = r * s + c;
  return 2.0 * (df + w);
}

/** arcsin (fdlibm e_asin.c). */
export function asin(x: number): number {
  const PIO2_HI = 1.570796326794896558;
  const PIO2_LO = 6.12323399573676603587e-17;
  const PIO4_HI = 7.85398163397448278999e-1;
  const hx = high(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    if (((ix - 0x3ff00000) | low(x)) === 0) return x * PIO2_HI + x * PIO2_LO;
    return NaN;
  }
  if (ix < 0x3fe00000) {
    if (ix < 0x3e400000 && HUGE + x > 1) return x;
    const t = ix < 0x3e400000 ? 0 : x * x;
    return x + x * (P(t) / Q(t));
  }
  const t = (1 - Math.abs(x)) * 0.5;
  const p = P(t);
  const q = Q(t);
  const s = Math.sqrt(t);
  let r: number;
  if (ix >= 0x3fef3333) {
    r = PIO2_HI - (2.0 * (s + s * (p / q)) - PIO2_LO);
  } else {
    const w = clearLow(s);
    const c = (t - w * w) / (s + w);
    const pp = 2.0 * s * (p / q) - (PIO2_LO - 2.0 * c);
    r = PIO4_HI - (pp - (PIO4_HI - 2.0 * w));
  }
  return hx > 0 ? r : -r;
}

const T = [
  3.33333333333334091986e-1, 1.33333333333201242699e-1, 5.39682539762260521377e-2, 2.18694882948595424599e-2,
  8.86323982359930005737e-3, 3.59207910759131235356e-3, 1.45620945432529025516e-3, 5.88041240820264096874e-4,
  2.46463134818469906812e-4, 7.817944429395570923e-5, 7.14072491382608190305e-5, -1.85586374855275456654e-5,
  2.59073051863633712884e-5,
];

/** tan on [-pi/4, pi/4] with the tail y of x; -1/tan when iy = -1 (fdlibm k_tan.c). */
function kernelTan(x: number, y: number, iy: number): number {
  const PIO4 = 7.85398163397448278999e-1;
  const PIO4_LO = 3.06161699786838301793e-17;
  const hx = high(x);
  const ix = hx & 0x7fffffff;
  // -1 / (x + r) computed with the high part of w split off, as fdlibm does
  const minusInverse = (w: number, r: number, x0: number) => {
    const z = clearLow(w);
    const v = r - (z - x0);
    const a = -1.0 / w;
    const t = clearLow(a);
    const s = 1.0 + t * z;
    return t + a * (s + t * v);
  };
  if (ix < 0x3e300000 && Math.trunc(x) === 0) {
    if ((ix | low(x) | (iy + 1)) === 0) return 1 / Math.abs(x);
    if (iy === 1) return x;
    return minusInverse(x + y, y, x);
  }
  if (ix >= 0x3fe59428) {
    if (hx < 0) {
      x = -x;
      y = -y;
    }
    x = PIO4 - x + (PIO4_LO - y);
    y = 0.0;
  }
  const z = x * x;
  const w = z * z;
  let r = T[1]! + w * (T[3]! + w * (T[5]! + w * (T[7]! + w * (T[9]! + w * T[11]!))));
  const v = z * (T[2]! + w * (T[4]! + w * (T[6]! + w * (T[8]! + w * (T[10]! + w * T[12]!)))));
  const s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T[0]! * s;
  const sum = x + r;
  if (ix >= 0x3fe59428) {
    const vv = iy;
    return (1 - ((hx >> 30) & 2)) * (vv - 2.0 * (x - ((sum * sum) / (sum + vv) - r)));
  }
  if (iy === 1) return sum;
  return minusInverse(sum, r, x);
}

/** tan (fdlibm s_tan.c). */
export function tan(x: number): number {
  const ix = high(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelTan(x, 0, 1);
  if (ix >= 0x7ff00000) return x - x;
  if (ix > MEDIUM) return nativeTan(x);
  const n = remPio2(x);
  return kernelTan(reduced[0]!, reduced[1]!, 1 - ((n & 1) << 1));
}

/** 2^n for an integer n in [-1022, 1023] (a normal double), built from its bits: no pow inside pow. */
function twoTo(n: number): number {
  return fromWords((n + 1023) << 20, 0);
}

/**
 * x^y (fdlibm e_pow.c as V8 has it: x^2 is x*x, x^0.5 is sqrt for x >= +0, 1/x for y = -1). log2(x) is computed in
 * two pieces t1 + t2 (t1 with 29 trailing zero bits), y*log2(x) = n + y' by simulated extra precision, and
 * x^y = 2^n exp(y' ln 2).
 */
export function pow(x: number, y: number): number {
  const L1 = 5.99999999999994648725e-1;
  const L2 = 4.28571428578550184252e-1;
  const L3 = 3.33333329818377432918e-1;
  const L4 = 2.72728123808534006489e-1;
  const L5 = 2.30660745775561754067e-1;
  const L6 = 2.06975017800338417784e-1;
  const LG2 = 6.93147180559945286227e-1;
  const LG2_H = 6.93147182464599609375e-1;
  const LG2_L = -1.90465429995776804525e-9;
  const OVT = 8.0085662595372944372e-17;
  const CP = 9.61796693925975554329e-1;
  const CP_H = 9.61796700954437255859e-1;
  const CP_L = -7.02846165095275826516e-9;
  const IVLN2 = 1.442695040888963387;
  const IVLN2_H = 1.44269502162933349609;
  const IVLN2_L = 1.92596299112661746887e-8;
  const DP_H = [0, 5.84962487220764160156e-1];
  const DP_L = [0, 1.35003920212974897128e-8];
  const BP = [1, 1.5];

  const hx = high(x);
  const lx = low(x);
  const hy = high(y);
  const ly = low(y);
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  if ((iy | ly) === 0) return 1;
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0))
    return x + y;
  // yIsInt: 0 not an integer, 1 odd, 2 even (only needed for x < 0).
  let yIsInt = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) yIsInt = 2;
    else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 0x3ff;
      if (k > 20) {
        const j = ly >>> (52 - k);
        if (j << (52 - k) === (ly | 0)) yIsInt = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yIsInt = 2 - (j & 1);
      }
    }
  }
  if (ly === 0) {
    if (iy === 0x7ff00000) {
      if (((ix - 0x3ff00000) | lx) === 0) return y - y;
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0;
      return hy < 0 ? -y : 0;
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x;
    if (hy === 0x40000000) return x * x;
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x);
  }
  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    let z = ax;
    if (hy < 0) z = 1 / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yIsInt) === 0) z = NaN;
      else if (yIsInt === 1) z = -z;
    }
    return z;
  }
  let n = (hx >> 31) + 1;
  if ((n | yIsInt) === 0) return NaN;
  const sign = (n | (yIsInt - 1)) === 0 ? -1 : 1;

  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31: over- or underflow unless x is within 2^-20 of 1, where log(x) = t - t^2/2 + t^3/3 - t^4/4.
    if (iy > 0x43f00000) {
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    if (ix < 0x3fefffff) return hy < 0 ? sign * HUGE * HUGE : sign * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? sign * HUGE * HUGE : sign * TINY * TINY;
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = clearLow(u + v);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {
      ax *= 9007199254740992;
      n -= 53;
      ix = high(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000;
    let k: number;
    if (j <= 0x3988e) k = 0;
    else if (j < 0xbb67a) k = 1;
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHigh(ax, ix);
    // ss = s_h + s_l = (x - 1) / (x + 1) or (x - 1.5) / (x + 1.5)
    let u = ax - BP[k]!;
    let v = 1 / (ax + BP[k]!);
    const ss = u * v;
    const sH = clearLow(ss);
    let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
    let tL = ax - (tH - BP[k]!);
    const sL = v * (u - sH * tH - sH * tL);
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = clearLow(3.0 + s2 + r);
    tL = r - (tH - 3.0 - s2);
    u = sH * tH;
    v = sL * tH + tL * ss;
    const pH = clearLow(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + DP_L[k]!;
    const t = n;
    t1 = clearLow(zH + zL + DP_H[k]! + t);
    t2 = zL - (t1 - t - DP_H[k]! - zH);
  }
  // (y1 + y2) (t1 + t2) with y1 the high part of y
  const y1 = clearLow(y);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  let j = high(z);
  const i = low(z);
  if (j >= 0x40900000) {
    if (((j - 0x40900000) | i) !== 0) return sign * HUGE * HUGE;
    if (pL + OVT > z - pH) return sign * HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    if (((j - 0xc090cc00) | i) !== 0) return sign * TINY * TINY;
    if (pL <= z - pH) return sign * TINY * TINY;
  }
  // 2^(pH + pL)
  const abs = j & 0x7fffffff;
  let k = (abs >> 20) - 0x3ff;
  n = 0;
  if (abs > 0x3fe00000) {
    n = (j + (0x00100000 >> (k + 1))) | 0;
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = clearLow(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const tt1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * tt1) / (tt1 - 2 - (w + z * w));
  z = 1 - (r - z);
  j = (high(z) + (n << 20)) | 0;
  if (j >> 20 <= 0) z = scalbn(z, n);
  else z = withHigh(z, j);
  return sign * z;
}

/** x 2^n with one rounding (fdlibm s_scalbn.c's result for the subnormal outputs pow needs). */
function scalbn(x: number, n: number): number {
  // x is in [0.5, 2) here and x 2^(n + 54) is normal, so the first product is exact and the second rounds once.
  return x * twoTo(n + 54) * twoTo(-54);
}

/** The functions the lab installs as Math.* in its worker (src/lab/portable-math.ts). */
export const PORTABLE_MATH = { exp, log, log1p, expm1, tanh, sin, cos, tan, acos, asin, pow } as const;
