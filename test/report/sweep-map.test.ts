/** Tests: the sweep map (the trainable region of signal-propagation) against counts taken from its certificate. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellEdges, sweepMap } from '../../src/report/sweep-map.ts';
import { readCertificate } from '../../src/verify/certificate.ts';
import { statement, TRAINABLE } from '../../theorems/signal-propagation/statement.ts';

const root = join(import.meta.dirname, '..', '..');

describe('sweep map', () => {
  it('puts cell edges halfway between centres, in log units on a log axis', () => {
    expect(cellEdges([1, 2, 4], false)).toEqual([
      [0.5, 1.5],
      [1.5, 3],
      [3, 5],
    ]);
    const log = cellEdges([1, 2, 4], true);
    const expected = [
      [Math.SQRT1_2, Math.SQRT2],
      [Math.SQRT2, 2 * Math.SQRT2],
      [2 * Math.SQRT2, 4 * Math.SQRT2],
    ];
    log.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 12));
    expect(cellEdges([3], false)).toEqual([[2.5, 3.5]]);
  });

  it('counts, in every (sigma_w^2, depth) rectangle, the seeds that train, as the certificate has them', async () => {
    const cert = readCertificate(join(root, 'proofs-numeric', 'signal-propagation.json'));
    const figure = statement.figures!.find((f) => f.kind === 'sweep-map')!;
    if (figure.kind !== 'sweep-map') throw new Error('no sweep map');
    const html = await sweepMap(figure, cert, statement);
    const cells = cert.cells.filter((c) => c.arm === 'trainable');
    const sizes = [...new Set(cells.map((c) => c.width))];
    // Counted here from the observations, not by the figure's code: a rectangle's text is wins/seeds.
    const expected = sizes.flatMap((size) =>
      TRAINABLE.multiples.map((_, k) => {
        const at = cells.filter((c) => c.width === size);
        const wins = at.filter((c) => c.observation[`unexplained:${k}`]! <= 1 - TRAINABLE.explained).length;
        return `${wins}/${at.length}`;
      }),
    );
    const texts = [...html.matchAll(/<text[^>]*>(\d+\/\d+)<\/text>/g)].map((m) => m[1]);
    expect(texts.length).toBe(sizes.length * TRAINABLE.multiples.length);
    expect([...texts].sort()).toEqual([...expected].sort());
    // Shallow networks train at every sigma_w^2, the deepest at none or few: the map is not uniform.
    expect(texts).toContain(`${cells.length / sizes.length}/${cells.length / sizes.length}`);
    expect(html).toContain('the dashed orange line is L = 6');
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });
});
