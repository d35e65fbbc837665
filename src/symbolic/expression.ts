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

  /**
   * The derivative almost everywhere, for formulas with kinks and jumps at isolated points: abs(u) is rewritten
   * u sign(u), max(a, b) and min(a, b) as (a + b +- (a - b) sign(a - b)) / 2, and each sign(u) is held constant while
   * mathjs differentiates (its derivative is 0 away from u = 0), then put back. So relu written as max(z, 0) gets the
   * derivative (1 + sign(z)) / 2: 1 above the kink, 0 below, 1/2 on it (a set of measure zero, which no Gaussian
   * integral sees).
   */
  piecewiseDerivative(): Formula {
    const signs: MathNode[] = [];
    const held = (u: MathNode) => {
      signs.push(new math.FunctionNode('sign', [u]));
      return new math.SymbolNode(`__sign${signs.length - 1}`);
    };
    const op = (o: string, fn: string, args: MathNode[]) => new math.OperatorNode(o as never, fn as never, args);
    const rewrite = (node: MathNode): MathNode =>
      node.transform((n: MathNode) => {
        if (n.type !== 'FunctionNode') return n;
        const f = n as unknown as { fn: { name?: string }; args: MathNode[] };
        const args = f.args.map(rewrite);
        switch (f.fn.name) {
          case 'sign':
            return held(args[0]!);
          case 'abs':
            return op('*', 'multiply', [args[0]!, held(args[0]!)]);
          case 'max':
          case 'min': {
            if (args.length !== 2) return n;
            const [a, b] = args as [MathNode, MathNode];
            const d = op('-', 'subtract', [a, b]);
            const spread = op('*', 'multiply', [d, held(d)]);
            const sum = op('+', 'add', [a, b]);
            const both = op(f.fn.name === 'max' ? '+' : '-', f.fn.name === 'max' ? 'add' : 'subtract', [sum, spread]);
            return op('/', 'divide', [both, new math.ConstantNode(2)]);
          }
          default:
            return n;
        }
      });
    const d = math.derivative(rewrite(this.node), this.variable);
    const back = d.transform((n: MathNode) => {
      const name = n.type === 'SymbolNode' ? (n as unknown as { name: string }).name : '';
      return name.startsWith('__sign') ? signs[Number(name.slice(6))]! : n;
    });
    return new Formula(math.simplify(back), this.variable);
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
