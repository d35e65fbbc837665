/**
 * TeX and prose math to HTML with KaTeX (no Node module: the lab's worker typesets its findings with it too; the fonts
 * and CSS are copied beside the pages by src/report/build.ts).
 */
import katex from 'katex';
import { GREEK_LETTERS, isGreekName } from './greek.ts';

/** TeX to HTML, server-side; a TeX error is shown in place rather than thrown. */
export function tex(source: string, display = false): string {
  return katex.renderToString(source, {
    displayMode: display,
    throwOnError: false,
    output: 'htmlAndMathml',
    strict: 'ignore',
  });
}

/** A math word of plain-text prose: a name with sub- and superscripts (n^{-1/2}, sigma_w^2, lambda_max, K^{(L)}, W_12).
 * */
const MATH_WORD = new RegExp(
  // a word (or a closing parenthesis) ...
  String.raw`((?<![\w\\])[A-Za-z]+|\))` +
    // ... followed by subscripts and superscripts: _{...}, _x, ^{...}, ^(...), ^-1.5 or ^a/b
    // (an unbraced exponent takes a fraction only over a number: n^-1/2 is n^{-1/2}, sigma_w^2/n is sigma_w^2 over n)
    String.raw`((?:_\{[^{}\s]*\}|_[A-Za-z0-9]+|\^\{[^{}]*\}|\^\([^()\s]*\)|\^-?[A-Za-z0-9.]+(?:\/[0-9.]+)?)+)`,
  'g',
);

function base(name: string): string {
  if (name === ')') return ')';
  return isGreekName(name) ? `\\${name}` : name.length > 1 ? `\\mathrm{${name}}` : name;
}

/** One script: `_max` -> `_{\mathrm{max}}`, `^-1/2` -> `^{-1/2}`, `_{w}` stays, Greek names become symbols. */
function script(kind: '_' | '^', body: string): string {
  const inner = body.startsWith('{') ? body.slice(1, -1) : body;
  const text = inner.replace(/[A-Za-z]{2,}/g, (w) => (isGreekName(w) ? `\\${w} ` : `\\mathrm{${w}}`));
  return `${kind}{${text}}`;
}

/** The TeX of a math word, e.g. sigma_w^2 -> \sigma_{w}^{2}. */
export function mathWordTex(name: string, scripts: string): string {
  const parts = [...scripts.matchAll(/([_^])(\{[^{}]*\}|\([^()]*\)|-?[A-Za-z0-9.]+(?:\/[0-9.]+)?)/g)];
  return base(name) + parts.map((p) => script(p[1] as '_' | '^', p[2]!)).join('');
}

/** A bare Greek name standing alone (eta, Theta(n), gamma), not part of an identifier such as lazy-alpha or muP. */
const GREEK_WORD = new RegExp(String.raw`(?<![\w\-\\])(${Object.keys(GREEK_LETTERS).join('|')})(?![\w\-])`, 'g');

/** Plain text with its bare Greek names as letters (eta -> η, Theta(n) -> Θ(n)). */
export const greekLetters = (text: string): string => text.replace(GREEK_WORD, (w) => GREEK_LETTERS[w]!);

/**
 * Plain-text prose to HTML: escaped, with every math word typeset by KaTeX and every bare Greek name as its letter
 * (statements and reasons are written in plain text so that the terminal can print them; the report typesets the
 * formulas inside them).
 */
export function prose(text: string, escape: (t: string) => string): string {
  let out = '';
  let last = 0;
  const plain = (t: string) => greekLetters(escape(t));
  for (const m of text.matchAll(MATH_WORD)) {
    // An identifier (file_name, SLURM_ARRAY_TASK_ID) is not math: a long name with a long subscript stays text.
    if (!isGreekName(m[1]!) && m[1]!.length > 1 && /_(?:\{)?[A-Za-z]{4,}/.test(m[2]!)) continue;
    out += plain(text.slice(last, m.index)) + tex(mathWordTex(m[1]!, m[2]!));
    last = m.index! + m[0].length;
  }
  return out + plain(text.slice(last));
}
