/** The one mathjs instance of the symbolic layer. */
import { all, create, type MathNode } from 'mathjs';

/** One mathjs instance for the symbolic layer (numbers as float64; fractions where exactness matters). */
export const math = create(all!, { number: 'number' }); // mathjs types `all` as possibly undefined

export type { MathNode };
