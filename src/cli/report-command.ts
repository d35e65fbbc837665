import { buildReports } from '../report/build.ts';
import { theorems } from '../../theorems/index.ts';
import { parseCommand, type Command } from './args.ts';

export const reportCommand: Command = {
  name: 'report',
  summary: 'render reports/index.html and one KaTeX page per theorem from the certificates',
  usage: 'tdlv report [--certificates proofs-numeric] [--out reports]',
  async run(argv, io) {
    const { values } = parseCommand(argv, { certificates: { type: 'string', default: 'proofs-numeric' }, out: { type: 'string', default: 'reports' } }, 'report');
    const written = await buildReports(theorems, values.certificates!, values.out!);
    for (const path of written) io.out(`wrote ${path}`);
    return 0;
  },
};
