/**
 * Addressed random streams.
 *
 * Every random draw in tdlv belongs to a stream named by an address, e.g.
 * `{experiment: 'ntk-constancy/tanh', width: 1024, seed: 3}` plus a label for the tensor
 * (`W2`, `b1`, ...). The address is hashed to a 128-bit key that seeds xoshiro128**; a stream
 * depends on nothing but its address, so results are bit-identical whatever the number of
 * workers or the order in which cells run.
 */

export type StreamAddress = Record<string, string | number | boolean>;

/** Canonical text of an address: keys sorted, so {a,b} and {b,a} name the same stream. */
export function addressKey(address: StreamAddress, label = ''): string {
  const keys = Object.keys(address).sort();
  return keys.map((k) => `${k}=${String(address[k])}`).join('&') + `#${label}`;
}

/** MurmurHash3-style 32-bit hash of a string with a seed. */
function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(address: StreamAddress, label = '') {
    const text = addressKey(address, label);
    this.s0 = hash32(text, 0x9e3779b9);
    this.s1 = hash32(text, 0x7f4a7c15);
    this.s2 = hash32(text, 0x94d049bb);
    this.s3 = hash32(text, 0xbf58476d);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    for (let i = 0; i < 8; i++) this.nextUint32();
  }

  /** xoshiro128** (Blackman & Vigna 2018). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on the open interval (0, 1), 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard normal by the Box-Muller transform (both outputs used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /**
   * Fill a buffer with N(0, std^2) draws: Box-Muller on pairs of 32-bit uniforms, in a tight loop
   * with the generator state in locals (the hot path of network initialisation).
   */
  fillNormal<T extends Float32Array | Float64Array>(out: T, std = 1): T {
    let s0 = this.s0,
      s1 = this.s1,
      s2 = this.s2,
      s3 = this.s3;
    const n = out.length;
    const twoPi = 2 * Math.PI;
    const inv = 1 / 4294967296;
    for (let i = 0; i < n; i += 2) {
      const r1 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const r2 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const radius = std * Math.sqrt(-2 * Math.log((r1 + 0.5) * inv));
      const angle = twoPi * (r2 + 0.5) * inv;
      out[i] = radius * Math.cos(angle);
      if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Standard Cauchy draws (heavy-tailed ablations). */
  cauchy(): number {
    return Math.tan(Math.PI * (this.uniform() - 0.5));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export function stream(address: StreamAddress, label = ''): RandomStream {
  return new RandomStream(address, label);
}

/** Uniform random points on the unit sphere S^{d-1}, as rows. */
export function spherePoints(rng: RandomStream, m: number, d: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) {
    const v = Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...v);
    rows.push(v.map((x) => x / norm));
  }
  return rows;
}
