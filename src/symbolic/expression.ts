/** A formula in one variable, parsed once, then evaluated, differentiated and typeset. */
import { math, type MathNode } from './math.ts';

/**
 * A formula in one variable, built once and used three ways: evaluated (compiled), differentiated,
 * and rendered to TeX. Differentiation goes through mathjs, which is right where nerdamer 1.1.13 is
 * wrong (d/du (pi - acos u) has the wrong sign there; see test/symbolic/nerdamer-pins.test.ts).
 */
export class Formula {
  readonly node: MathNode;
  private compiled: ReturnType<MathNode['compile']> | null = null;

  constructor(
    source: string | MathNode,
    readonly variable = 'u',
  ) {
    this.node = typeof source === 'string' ? math.parse(source) : source;
  }

  /** Value at a real point. */
  at(x: number): number {
    this.compiled ??= this.node.compile();
    const v = this.compiled.evaluate({ [this.variable]: x, pi: Math.PI });
    return typeof v === 'number' ? v : Number(v);
  }

  /** Value at a complex point (principal branches), for Cauchy-integral Taylor coefficients. */
  atComplex(re: number, im: number): { re: number; im: number } {
    this.compiled ??= this.node.compile();
    const v = this.compiled.evaluate({ [this.variable]: math.complex(re, im), pi: Math.PI }) as
      number | { re: number; im: number };
    return typeof v === 'number' ? { re: v, im: 0 } : { re: v.re, im: v.im };
  }

  derivative(): Formula {
    return new Formula(math.simplify(math.derivative(this.node, this.variable)), this.variable);
  }

  minus(other: Formula): Formula {
    return new Formula(new math.OperatorNode('-', 'subtract', [this.node, other.node]), this.variable);
  }

  simplified(): Formula {
    return new Formula(math.simplify(this.node), this.variable);
  }

  /** True when mathjs simplifies the formula to the constant 0. */
  isZero(): boolean {
    const s = math.simplify(this.node);
    return s.type === 'ConstantNode' && Number((s as unknown as { value: number }).value) === 0;
  }

  toTex(): string {
    return this.node.toTex({ parenthesis: 'auto' });
  }

  toString(): string {
    return this.node.toString();
  }
}
