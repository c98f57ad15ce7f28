/**
 * Runs a phase's stages in order and combines their verdicts. Fail closed: a stage that throws, times out
 * or lacks its model yields `review` with a stage_error-type reason — never `allow`.
 * Pure of the database: recording decisions and moving the render is the service's job (service.ts).
 */
import { DomainError } from "../errors";
import { MediaError } from "../ml/frames/errors";
import { EvidenceMismatchError, evidenceProblem, FAIL_CLOSED_VERSION, type failClosedEvidence } from "./evidence";
import { combineVerdicts, type Stage, type StageContext, type StageResult, type Verdict } from "./types";
import type { z } from "zod";

export const DEFAULT_STAGE_TIMEOUT_MS = 60_000;

export interface StageOutcome extends StageResult {
  stage: string;
  durationMs: number;
}

export interface PhaseOutcome {
  verdict: Verdict;
  outcomes: StageOutcome[];
  /** What the stages shared (e.g. sampled frames), for work after the phase that needs the same facts. */
  shared: ReadonlyMap<string, unknown>;
}

class StageTimeoutError extends Error {
  constructor(stage: string, ms: number) {
    super(`stage ${stage} did not finish within ${ms} ms`);
  }
}

/** A stage says its model is not there with a DomainError coded `unavailable` (e.g. the registry's ModelUnavailableError). */
const isModelUnavailable = (error: unknown) => error instanceof DomainError && error.code === "unavailable";

export function failClosed(stage: Stage, error: unknown): StageResult {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof StageTimeoutError ? "stage_timeout" : isModelUnavailable(error) ? "model_unavailable" : "stage_error";
  const mediaCode = (error as { code?: unknown } | null)?.code;
  const evidence: z.infer<typeof failClosedEvidence> = { error: message, ...(typeof mediaCode === "string" ? { mediaErrorCode: mediaCode } : {}) };
  return {
    verdict: "review",
    reasons: [{ code: code === "stage_error" && error instanceof MediaError ? "media_invalid" : code, message: `${stage.name}: ${message}` }],
    evidence,
    version: FAIL_CLOSED_VERSION,
  };
}

/**
 * Thrown out of runPhase, instead of failing the stage closed, when the caller said the error is worth retrying
 * as it is (the database went away mid-stage): nothing is recorded, and the job runs the phase again later.
 */
export class StageInterruptedError extends Error {
  constructor(
    readonly stage: string,
    options: { cause: unknown },
  ) {
    super(`stage ${stage} was interrupted: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
    this.name = "StageInterruptedError";
  }
}

export interface PhaseOptions {
  /** Errors that interrupt the phase (StageInterruptedError) rather than hold the render with stage_error. */
  interruptOn?: (error: unknown) => boolean;
}

async function runOne(stage: Stage, ctx: Omit<StageContext, "signal">, opts: PhaseOptions = {}): Promise<StageOutcome> {
  const started = performance.now();
  const timeoutMs = stage.timeoutMs ?? DEFAULT_STAGE_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let result: StageResult;
  try {
    result = await Promise.race([
      stage.run({ ...ctx, signal: controller.signal }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Timeout first, then abort: a stage that answers its abort at once (say with "allow") must not win the race.
          reject(new StageTimeoutError(stage.name, timeoutMs));
          controller.abort();
        }, timeoutMs);
      }),
    ]);
    // A stage that returns something malformed is as untrustworthy as one that throws.
    if (!result || !["allow", "review", "block"].includes(result.verdict)) throw new Error("stage returned no verdict");
    // So is evidence that is not what the stage declares (gate/evidence.ts): readers would misread or drop it.
    const problem = evidenceProblem({ stage: stage.name, version: result.version, evidence: result.evidence });
    if (problem) throw new EvidenceMismatchError(problem);
  } catch (error) {
    if (opts.interruptOn?.(error)) throw new StageInterruptedError(stage.name, { cause: error });
    result = failClosed(stage, error);
  } finally {
    clearTimeout(timer);
  }
  return { ...result, stage: stage.name, durationMs: Math.round(performance.now() - started) };
}

/**
 * Runs every stage (even after a block: reviewers and rights holders want all the evidence) and combines.
 * `skip` lets a resumed job reuse decisions already recorded for some stages.
 */
export async function runPhase(
  stages: readonly Stage[],
  input: Pick<StageContext, "render" | "media">,
  skip: ReadonlyMap<string, StageOutcome> = new Map(),
  opts: PhaseOptions = {},
): Promise<PhaseOutcome> {
  const earlier: Record<string, StageResult> = {};
  const shared = new Map<string, unknown>();
  const outcomes: StageOutcome[] = [];
  for (const stage of stages) {
    const previous = skip.get(stage.name);
    const outcome = previous ?? (await runOne(stage, { ...input, earlier, shared }, opts));
    earlier[stage.name] = outcome;
    outcomes.push(outcome);
  }
  return { verdict: combineVerdicts(outcomes.map((o) => o.verdict)), outcomes, shared };
}
