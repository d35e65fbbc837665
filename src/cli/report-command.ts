/** `tdlv report`: the KaTeX pages of every theorem (built-in or named by path) from the certificates. */
import { buildReports } from '../report/build.ts';
import { theorems } from '../../theorems/index.ts';
import { LAB_THEOREMS } from '../../theorems/lab.ts';
import { defineCommand } from './args.ts';
import { requireWritableDirectory } from './read-file.ts';
import { UsageError } from '../errors.ts';
import { loadTheoremModule } from './theorem-source.ts';
import { userLab } from '../lab/user-lab.ts';

export const reportCommand = defineCommand({
  name: 'report',
  summary:
    'render reports/index.html, one KaTeX page per theorem and the lab (reports/lab.html) from the ' + 'certificates',
  usage:
    'tdlv report [--certificates proofs-numeric] [--out reports] [--theorem ' +
    'PATH]\n\nWith --theorem, renders the page of your own theorem module (an index of it, and its lab: the ' +
    'module bundled for a browser, with the exercises it exports as `exercises`) instead of the built-in ones.',
  options: {
    certificates: { type: 'string', default: 'proofs-numeric' },
    out: { type: 'string', default: 'reports' },
    theorem: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length)
      throw new UsageError('report', positionals[0], 'no positional arguments (use --certificates and --out)');
    requireWritableDirectory(values.out!, '--out');
    if (values.theorem === undefined) {
      const written = await buildReports(theorems, values.certificates!, values.out!, { lab: LAB_THEOREMS });
      for (const path of written) io.out(`wrote ${path}`);
      return 0;
    }
    // A user's theorem gets its page and a lab of its own (its module bundled for the browser with tdlv's engine).
    const check = await loadTheoremModule(values.theorem, '--theorem');
    const lab = await userLab(values.theorem, check);
    if ('none' in lab) io.err(`tdlv: report: no lab for ${check.statement.id} (${lab.none}); its page is written`);
    const options = 'none' in lab ? {} : { lab: lab.theorems, labWorker: lab.worker };
    const written = await buildReports([check], values.certificates!, values.out!, options);
    for (const path of written) io.out(`wrote ${path}`);
    return 0;
  },
});
