/** `tdlv list` and `tdlv show`: the theorems and their statements, from the registry alone. */
import { findStatement, statements } from '../../theorems/registry.ts';
import { claimedText } from '../report/terminal.ts';
import { defineCommand } from './args.ts';
import { UsageError } from '../errors.ts';
import { modulePath } from './theorem-path.ts';

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list the theorem modules',
  usage: 'tdlv list [--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError('list', positionals[0], 'no positional arguments');
    if (values.json) {
      io.out(JSON.stringify(statements.map((s) => ({ id: s.id, title: s.title, claims: s.claims.map((c) => c.id) }))));
      return 0;
    }
    const width = Math.max(...statements.map((s) => s.id.length));
    for (const s of statements)
      io.out(`${s.id.padEnd(width)}  ${s.title} (${s.claims.length} claims, ${s.ablations.length} ablations)`);
    return 0;
  },
});

export const showCommand = defineCommand({
  name: 'show',
  summary: 'print a theorem statement: sources, hypotheses, claims, ablations',
  usage: 'tdlv show <theorem | path/to/theorem.ts> [--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError('show', positionals[1], 'one theorem id or module path');
    // A path loads the module (and the engine with it); a built-in id needs the statement only.
    const path = modulePath(positionals[0]);
    const s =
      path !== undefined
        ? (await import('./theorem-source.ts').then((m) => m.loadTheoremModule(path))).statement
        : findStatement(positionals[0]);
    if (values.json) {
      io.out(JSON.stringify(s));
      return 0;
    }
    const lines = [
      `${s.id}: ${s.title}`,
      '',
      s.summary,
      '',
      'Sources:',
      ...s.sources.map((x) => `  - ${x.cite}, ${x.where}: ${x.title}${x.url ? ` <${x.url}>` : ''}`),
      '',
      'Hypotheses:',
      ...s.hypotheses.map((h) => `  [${h.id}] ${h.text}`),
      '',
      `Conventions: ${s.conventions}`,
      '',
      'Claims:',
      ...s.claims.map(
        (c) =>
          `  ${c.id} (${c.kind}, ${claimedText(c, s)}, arm ` +
          `${c.arm}${c.theorem ? '' : ', exploratory'}): ${c.title}\n      uses ` +
          `${c.hypotheses.join(', ')}; ${c.source}`,
      ),
      '',
      'Ablations:',
      ...s.ablations.map((a) => `  ${a.id} (violates ${a.violates.join(', ')}): ${a.title}`),
      '',
      `Experiment: ${s.experiment}`,
    ];
    io.out(lines.join('\n'));
    return 0;
  },
});
