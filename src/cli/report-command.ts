import { buildReports } from '../report/build.ts';
import { theorems } from '../../theorems/index.ts';
import { defineCommand } from './args.ts';
import { requireWritableDirectory } from './read-file.ts';
import { UsageError } from '../errors.ts';

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'render reports/index.html and one KaTeX page per theorem from the certificates',
  usage: 'tdlv report [--certificates proofs-numeric] [--out reports]',
  options: { certificates: { type: 'string', default: 'proofs-numeric' }, out: { type: 'string', default: 'reports' } },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError('report', positionals[0], 'no positional arguments (use --certificates and --out)');
    requireWritableDirectory(values.out!, '--out');
    const written = await buildReports(theorems, values.certificates!, values.out!);
    for (const path of written) io.out(`wrote ${path}`);
    return 0;
  },
});
