/** Tests: plain-text math in reports. */
import { describe, expect, it } from 'vitest';
import { prose } from '../../src/report/katex.ts';
import { unicodeMath } from '../../src/report/plots.ts';

const text = (html: string) =>
  html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, '').replace(/<[^>]+>/g, '');

describe('plain-text math in reports', () => {
  it('plot text (SVG, no KaTeX) becomes Unicode where Unicode has the glyphs', () => {
    expect(unicodeMath('log2(eta / eta_0)')).toBe('log₂(η / η₀)');
    expect(unicodeMath('claimed O(n^-1) (tanh)')).toBe('claimed O(n⁻¹) (tanh)');
    expect(unicodeMath('sigma_w^2 = 2')).toBe('σw² = 2');
    expect(unicodeMath('sigma_b^2')).toBe('σb²');
    expect(unicodeMath('K^{(L)}')).toBe('K⁽ᴸ⁾');
    expect(unicodeMath('relu-networks, beta-hat, meta')).toBe('relu-networks, β\u0302, meta');
    const norm = 'risk ||beta-hat - beta||^2, sqrt(N / n) <= 1';
    expect(unicodeMath(norm)).toBe('risk ‖β\u0302 - β‖², √(N / n) ≤ 1');
    // Halves as superscript fractions (U+141F); other decimals have no superscript point and stay as written.
    expect(unicodeMath('n^{-1/2}')).toBe('n⁻¹ᐟ²');
    expect(unicodeMath('O(n^-0.5)')).toBe('O(n⁻¹ᐟ²)');
    expect(unicodeMath('O(n^-1/2) and Theta(alpha^1.5)')).toBe('O(n⁻¹ᐟ²) and Θ(α³ᐟ²)');
    expect(unicodeMath('n^-0.3')).toBe('n^-0.3');
    expect(unicodeMath('O(n^0), Theta(alpha^0)')).toBe('O(1), Θ(1)');
    expect(unicodeMath('sigma_w^2/n')).toBe('σw²/n');
  });
  it('prose typesets math words with KaTeX and leaves identifiers and plain words alone', () => {
    const html = prose('rate n^{-1/2}, sigma_w^2, lambda_max, (1 - eta lambda_0 / 2)^k, file_name, f(x) & <b>', (t) =>
      t.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
    );
    expect(html.match(/class="katex"/g)?.length).toBe(5);
    const visible = text(html);
    expect(visible).toContain('file_name');
    expect(visible).toContain('&amp; &lt;b>');
    expect(visible).not.toMatch(/\^\{|sigma_|lambda_/);
  });
  it('an unbraced exponent takes a fraction over a number only: n^-1/2, but sigma_w^2/n is sigma_w^2 over n', () => {
    const tex = (t: string) =>
      (prose(t, (x) => x).match(/<annotation encoding="application\/x-tex">([^<]*)</) ?? [])[1];
    expect(tex('n^-1/2')).toBe('n^{-1/2}');
    expect(tex('sigma_w^2/n H^T H')).toBe('\\sigma_{w}^{2}');
    expect(text(prose('sigma_w^2/n H^T H', (x) => x))).toContain('/n');
  });
  it('a bare Greek name in prose is its letter; identifiers that contain one stay as written', () => {
    const plain = (t: string) => text(prose(t, (x) => x));
    expect(plain('the eta sweep, Theta(n) on (cos gamma, sin gamma); alpha 1/8-8')).toBe(
      'the η sweep, Θ(n) on (cos γ, sin γ); α 1/8-8',
    );
    expect(plain('claim lazy-alpha, arm mup-lr, muP, alphabet, thetas, beta-hat')).toBe(
      'claim lazy-alpha, arm mup-lr, muP, alphabet, thetas, beta-hat',
    );
  });
});
