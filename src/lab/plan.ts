/**
 * The plan a lab run judges, shared by the page (src/lab/page.ts) and the exercises' check (src/lab/exercise.ts): its
 * own module, so that the page's bundle does not pull in the verdict code the exercises import.
 */
import type { SweepPlan } from '../verify/experiment.ts';

/** The certificate's plan with the run's arm on the widths and seeds the student chose. */
export function labPlan(plan: SweepPlan, arm: string, widths: readonly number[], seeds: number): SweepPlan {
  return { ...plan, armPlans: { ...plan.armPlans, [arm]: { widths: [...widths], seeds } } };
}
