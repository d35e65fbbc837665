/** `tdlv report`: the KaTeX pages of every theorem (built-in or named by path) from the certificates. */
import { buildReports } from '../report/build.ts';
import { theorems } from '../../theorems/index.ts';
import { LAB_THEOREMS } from '../../theorems/lab.ts';
import { defineCommand } from './args.ts';
import { requireWritableDirectory } from './read-file.ts';
import { UsageError } from '../errors.ts';
import { loadTheoremModule } from './theorem-source.ts';

export const reportCommand = defineCommand({
  name: 'report',
  summary:
    'render reports/index.html, one KaTeX page per theorem and the lab (reports/lab.html) from the ' + 'certificates',
  usage:
    'tdlv report [--certificates proofs-numeric] [--out reports] [--theorem ' +
    'PATH]\n\nWith --theorem, renders the page of your own theorem module (and an index ' +
    'of it) instead of the built-in ones.',
  options: {
    certificates: { type: 'string', default: 'proofs-numeric' },
    out: { type: 'string', default: 'reports' },
    theorem: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length)
      throw new UsageError('report', positionals[0], 'no positional arguments (use --certificates and --out)');
    requireWritableDirectory(values.out!, '--out');
    const checks = values.theorem !== undefined ? [await loadTheoremModule(values.theorem, '--theorem')] : theorems;
    // The lab runs the built-in theorems (their bundle is tdlv's own); a user's theorem gets its page only.
    const lab = values.theorem === undefined ? LAB_THEOREMS : undefined;
    const written = await buildReports(checks, values.certificates!, values.out!, { lab });
    for (const path of written) io.out(`wrote ${path}`);
    return 0;
  },
});
