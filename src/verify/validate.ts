/**
 * Run-time validation of a theorem module: the zod schemas of src/verify/claims.ts and src/verify/experiment.ts,
 * applied to what a module exports, .ts or .js alike (tsx strips types and a .js module has none), before any cell
 * runs. Each problem is one line `<where>: <field>: got <value>, expected <what>`, where `<where>` names the claim,
 * ablation, figure or plan at fault.
 */
import type { z } from 'zod';

/** The value at `path` inside `data` (undefined when a step is missing). */
function at(data: unknown, path: readonly PropertyKey[]): unknown {
  let x = data;
  for (const key of path) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as Record<PropertyKey, unknown>)[key];
  }
  return x;
}

/** A value for a one-line message: JSON, cut at 60 characters; functions and undefined by name. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(' | ');

/** What an issue expected, in words. */
function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number'
        ? 'a finite number'
        : issue.expected === 'int'
          ? 'an integer'
          : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `one of ${list(issue.values)}`;
    case 'invalid_union': {
      const note = (issue as { note?: string; options?: unknown[] }).options;
      return note ? `one of ${list(note)}` : issue.message;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? 'a non-empty string'
          : `a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin === 'array' ? 'at most' : issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.message;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** How `<where>` reads for a path into a statement: the claim, ablation, hypothesis or figure by its id or title. */
export type Locator = (data: unknown, path: readonly PropertyKey[]) => { where: string; rest: readonly PropertyKey[] };

const field = (path: readonly PropertyKey[]) =>
  path.length
    ? path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${String(k)}` : String(k))).join('')
    : '(the whole)';

/** Every problem zod found, one line each, located by `locate`. */
export function issueLines(data: unknown, error: z.ZodError, locate: Locator): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const { where, rest } = locate(data, issue.path);
    const prefix = where ? `${where}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        lines.push(
          `${prefix}${field([...rest, key])}: got ${shown(at(data, [...issue.path, key]))}, expected no such field`,
        );
      continue;
    }
    lines.push(`${prefix}${field(rest)}: got ${shown(at(data, issue.path))}, expected ${expected(issue)}`);
  }
  return lines;
}

/** Locates a path inside a statement: claims, ablations, hypotheses, sources and figures by their id or title. */
export const statementLocator: Locator = (data, path) => {
  const [top, index, ...rest] = path;
  if (typeof index !== 'number') return { where: '', rest: path };
  const item = at(data, [top!, index]) as Record<string, unknown> | undefined;
  const name =
    typeof item?.id === 'string' ? item.id : typeof item?.title === 'string' ? `"${item.title}"` : `#${index}`;
  switch (top) {
    case 'claims':
      return { where: `claim ${name}`, rest };
    case 'ablations':
      return { where: `ablation ${name}`, rest };
    case 'hypotheses':
      return { where: `hypothesis ${name}`, rest };
    case 'figures':
      return { where: `figure ${name}`, rest };
    case 'sources':
      return { where: `source #${index}`, rest };
    default:
      return { where: '', rest: path };
  }
};
