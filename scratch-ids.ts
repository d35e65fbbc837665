import { statements } from '../work/main/theorems/statements.ts';
const ids = new Set<string>();
const arms = new Set<string>();
const obs = new Set<string>();
const keys = new Set<string>();
for (const s of statements) {
  ids.add(s.id);
  for (const c of s.claims) {
    ids.add(c.id);
    arms.add(c.arm);
    obs.add(c.observable);
    for (const k of Object.keys(c)) keys.add(c.kind + '.' + k);
  }
  for (const a of s.ablations) {
    ids.add(a.id);
    arms.add(a.arm);
  }
  for (const h of s.hypotheses) ids.add(h.id);
  for (const k of Object.keys(s)) keys.add('S.' + k);
  for (const f of s.figures ?? []) for (const k of Object.keys(f)) keys.add(f.kind + '.' + k);
}
console.log(
  [...ids].filter((x) => !/^[a-z0-9][a-z0-9-]*$/.test(x)),
  [...arms].filter((x) => !/^[a-z0-9][a-z0-9-]*$/.test(x)),
);
console.log([...obs].slice(0, 80).join(' '));
console.log([...keys].sort().join(' '));
