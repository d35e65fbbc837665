import { initBackend } from '../engine/backend.ts';
import { WorkerPool, defaultWorkerCount } from '../engine/pool.ts';
import { requirePositiveInteger, UsageError } from '../errors.ts';
import { auditCertificate } from '../verify/audit.ts';
import { readCertificate } from '../verify/certificate.ts';
import { findTheorem } from '../../theorems/index.ts';
import { defineCommand, POOL_OPTIONS, poolSettings } from './args.ts';

const usage = `tdlv audit <certificate.json> [--replay 3] [--workers N] [--backend auto|wasm|node|cpu] [--json]

Recomputes the fits and verdicts of a certificate from its raw observations, checks that it was made
from the current statement and holds every planned cell, and replays --replay cells from their random
streams. Exit code 0 if the certificate reproduces, 1 if it does not, 2 for a missing or corrupted file.`;

const options = {
  replay: { type: 'string', default: '3' },
  ...POOL_OPTIONS,
  json: { type: 'boolean', default: false },
} as const;

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'recompute and replay a certificate; fails if it does not reproduce',
  usage,
  options,
  async run({ values, positionals }, io) {
    if (!positionals[0]) throw new UsageError('certificate', undefined, 'a path to a certificate, e.g. proofs-numeric/ntk-constancy.json');
    const certificate = readCertificate(positionals[0]);
    const check = findTheorem(certificate.theorem, 'certificate theorem');
    const replay = values.replay === '0' ? 0 : requirePositiveInteger('--replay', values.replay, 1000);
    const { workers, backend } = poolSettings(values, Math.min(defaultWorkerCount(), Math.max(1, replay)));
    const backendName = await initBackend(backend);
    const pool = new WorkerPool({ size: workers, backend });
    try {
      const result = await auditCertificate(check, certificate, { pool, replay, backend: backendName });
      if (values.json) io.out(JSON.stringify({ certificate: positionals[0], theorem: certificate.theorem, ...result }));
      else {
        for (const r of result.replayed) io.out(`replayed ${r.cell}: ${r.ok ? 'reproduces' : 'DIFFERS'} (worst relative error ${r.worstRelativeError.toExponential(2)})`);
        for (const p of result.problems) io.out(`problem: ${p}`);
        io.out(result.ok ? `audit passed: ${positionals[0]}` : `audit FAILED: ${positionals[0]} (${result.problems.length} problem(s))`);
      }
      return result.ok ? 0 : 1;
    } finally {
      await pool.close();
    }
  },
});
