// Whether dist/ holds a build at least as new as every TypeScript source of src/ and theorems/ (dist/.build-stamp is
// written last by `npm run build`, so a build under way still counts as stale). bin/tdlv.js runs dist/ only then, and
// the packaging test packs it as it is only then (rebuilding a current dist/ in place would rewrite files that other
// tdlv processes are importing).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `root`/dist is a finished build of the sources beside it. */
export function compiledIsCurrent(root) {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return newestSource(join(root, 'src')) <= built && newestSource(join(root, 'theorems')) <= built;
}
