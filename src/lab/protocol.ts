/** The messages between the lab page and its Web Worker (src/lab/page.ts, src/lab/worker.ts), and the page's data. */
import type { Ablation, Claim, SizeAxis, TheoremStatement } from '../verify/claims.ts';
import type { Cell, CellResult, SweepPlan } from '../verify/experiment.ts';
import type { VerdictValue } from '../verify/verdicts.ts';
import type { LabExercise } from './exercise.ts';

/** A cell as the lab keeps it: the certificate's, or run in the page. */
export type LabCell = Omit<CellResult, 'code'>;

/** One verdict row: the claim, the verdict and what the theorem page's findings box says about it. */
export interface LabVerdictRow {
  claim: string;
  title: string;
  observable: string;
  ablation?: Pick<Ablation, 'id' | 'title' | 'violates'>;
  verdict: VerdictValue;
  estimate: number;
  ci: [number, number] | null;
  reason: string;
  warnings: string[];
  findings: { guarantees: string; measures: string; means: string };
  /** The fitted line of a rate verdict, in the cells' width units: log y = logPrefactor + slope log width. */
  line?: { logPrefactor: number; slope: number; widths: number[]; points: number[] };
  /** The claimed exponent of a rate claim (its region's centre), drawn through the fit's centre. */
  claimedSlope?: number;
  /** The verdict changes when the other arms' certificate cells are left out (the rule pools arms). */
  poolsOtherArms: boolean;
}

export type ToWorker =
  | { type: 'init'; wasm: ArrayBuffer }
  | {
      type: 'run';
      theorem: string;
      arm: string;
      plan: SweepPlan;
      cells: Cell[];
      /** The certificate's cells of the other arms (a rule that pools arms reads them). */
      others: LabCell[];
    };

export type FromWorker =
  | { type: 'ready'; backend: string; seconds: number }
  | { type: 'cell'; result: LabCell; rows: LabVerdictRow[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** One arm as the page offers it. */
export interface LabArm {
  name: string;
  /** The ablation this arm runs, when it is an ablation's arm. */
  ablation?: Pick<Ablation, 'id' | 'title' | 'violates' | 'description' | 'baseArm'>;
  /** Widths (or sizes) offered: the certificate's and, on a width axis, smaller ones. */
  widths: number[];
  /** The certificate's widths and seeds on this arm (seeds firstSeed .. firstSeed + seeds - 1). */
  certificate: { widths: number[]; seeds: number; firstSeed: number };
  axis: SizeAxis;
  /** The claims the arm's cells decide, and the certificate's verdicts on them. */
  claims: { id: string; ablation?: string; verdict: VerdictValue; estimate: number; ci: [number, number] | null }[];
}

/** What the page embeds for one theorem. */
export interface LabTheoremData {
  id: string;
  title: string;
  statement: Pick<TheoremStatement, 'id' | 'title' | 'hypotheses' | 'sources' | 'observableLabels'>;
  claims: (Pick<Claim, 'id' | 'title' | 'kind' | 'arm' | 'observable' | 'source' | 'standing'> & {
    titleHtml: string;
    sourceHtml: string;
  })[];
  plan: SweepPlan;
  arms: LabArm[];
  /** The certificate's cells, observations cut to what the claims read. */
  cells: LabCell[];
  certificate: { commit: string; created: string; engine: string };
  exercises: LabPageExercise[];
}

/** An exercise with its question and answer typeset (HTML, KaTeX for the math words). */
export interface LabPageExercise extends LabExercise {
  questionHtml: string;
  answerHtml: string;
}

export interface LabData {
  theorems: LabTheoremData[];
  /** tdlv's version and commit that wrote the page. */
  tool: string;
}
