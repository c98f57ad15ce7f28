/**
 * The one interface every gate stage implements. A stage is small, named and (where it can be) pure:
 * it looks at the render and what earlier stages found, and returns a verdict with reasons and evidence.
 * Only the pipeline combines verdicts, records decisions and moves the render's status.
 */

export const VERDICTS = ["allow", "review", "block"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const GATE_PHASES = ["pre", "post"] as const;
export type GatePhase = (typeof GATE_PHASES)[number];

/** A reason a stage gives. `code` is machine-readable (see reason-codes.ts), `message` is for people. */
export interface Reason {
  code: string;
  message: string;
  /** Optional category this reason belongs to (e.g. "sexual_minors", "likeness"), used for queue priority. */
  category?: string;
  score?: number;
}

export interface StageResult {
  verdict: Verdict;
  reasons: Reason[];
  /** The strongest score this stage saw, 0..1, for sorting and dashboards. */
  score?: number;
  /** Anything a reviewer needs to see: matched spans, frames, reference images, cameo ids. JSON-serialisable. */
  evidence?: Record<string, unknown>;
  /** Model or policy version that produced this result, stored on the decision. */
  version: string;
}

export interface RenderForGate {
  id: string;
  requesterId: string;
  prompt: string;
  /** Cameo handles named explicitly by the platform (in addition to @handles in the prompt). */
  cameoHandles: string[];
}

/** Media produced by the engine, available to post-render stages. */
export interface RenderMedia {
  bytes: Uint8Array;
  mimeType: "video/mp4" | "image/png" | "image/jpeg";
}

export interface StageContext {
  render: RenderForGate;
  media?: RenderMedia;
  /** Results of stages that already ran in this phase, by stage name: later stages may use them. */
  earlier: Readonly<Record<string, StageResult>>;
  /** Facts stages share (e.g. sampled frames), computed once per run. */
  shared: Map<string, unknown>;
  signal: AbortSignal;
}

export interface Stage {
  /** Unique, stable name: it is the key of the stored decision (render + stage). */
  name: string;
  phase: GatePhase;
  /** Milliseconds before the pipeline gives up on this stage (and fails closed). */
  timeoutMs?: number;
  run(ctx: StageContext): Promise<StageResult>;
}

const VERDICT_RANK: Record<Verdict, number> = { allow: 0, review: 1, block: 2 };

/** Block beats review beats allow. An empty list means nothing objected. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = "allow";
  for (const v of verdicts) if (VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v;
  return worst;
}
