/** Which certificate a page shows: the best one on disk, and only when it passes its static audit. */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { staticChecks } from '../verify/audit.ts';
import { certificatePath, readCertificate, type Certificate } from '../verify/certificate.ts';
import type { TheoremCheck } from '../verify/experiment.ts';

/** The best certificate on disk for a theorem: full, else quick, else smoke. */
export function bestCertificate(dir: string, id: string): Certificate | undefined {
  for (const fidelity of ['full', 'quick', 'smoke'] as const) {
    const path = certificatePath(dir, id, fidelity);
    if (!existsSync(path)) continue;
    const certificate = readCertificate(path);
    if (certificate.theorem !== id)
      throw new UsageError('--certificates', path, `a certificate of ${id} (this one is of ${certificate.theorem})`);
    return certificate;
  }
  return undefined;
}

/**
 * The certificate a page may show: the best one on disk, only when its static audit passes (what a page renders then
 * follows from the raw cells and the module, whatever the certificate says of itself: labels, verdict strings, claims
 * the statement lacks); otherwise why it is refused.
 */
export function auditedCertificate(
  t: TheoremCheck,
  certificatesDir: string,
): { cert: Certificate | undefined; refused: string[] } {
  const found = bestCertificate(certificatesDir, t.statement.id);
  let refused: string[] = [];
  try {
    if (found)
      refused = staticChecks(t, found)
        .filter((c) => !c.ok && c.severity === 'error')
        .map((c) => `${c.name}: ${c.detail}`);
  } catch (error) {
    refused = [`the certificate cannot be checked: ${(error as Error).message.split('\n')[0]}`];
  }
  return { cert: refused.length ? undefined : found, refused };
}
