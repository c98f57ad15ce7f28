/** Recording what the gate decided, and putting held renders in the moderator queue. */
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { classifierCategories, gateDecisions, reviewItems, type GateDecision } from "../db/schema";
import { EvidenceMismatchError, evidenceProblem, STAGE_NAMES, stageKind } from "./evidence";
import type { StageOutcome } from "./pipeline";
import { placeInQueue } from "./priority";
import { withoutInlineMedia } from "./redact";
import type { GatePhase, Reason } from "./types";

/**
 * Idempotent on (render, stage): a job re-run after a crash cannot record a stage twice.
 * Evidence that does not match its stage's schema is refused (EvidenceMismatchError) and nothing is written: the
 * pipeline has already turned a stage's bad evidence into a stage_error hold, so this is a bug in the caller, and
 * throwing keeps its render where it is (a release's transaction rolls back and the render is held).
 */
export async function recordDecisions(
  db: DbOrTx,
  renderId: string,
  phase: GatePhase | "release",
  outcomes: readonly StageOutcome[],
): Promise<void> {
  await recordDecisionsOfRenders(db, [{ renderId, phase, outcomes }]);
}

/** Several renders' decisions in one INSERT (the pre-render gate's group commit). */
export async function recordDecisionsOfRenders(
  db: DbOrTx,
  entries: readonly { renderId: string; phase: GatePhase | "release"; outcomes: readonly StageOutcome[] }[],
): Promise<void> {
  // Evidence off its stage's schema is a bug in the caller: refuse it before anything is written.
  const rows = entries.flatMap(({ renderId, phase, outcomes }) =>
    outcomes.map((o) => ({
      renderId,
      stage: o.stage,
      phase,
      verdict: o.verdict,
      score: o.score ?? null,
      reasons: o.reasons,
      evidence: o.evidence ?? {},
      version: o.version,
      durationMs: o.durationMs,
    })),
  );
  for (const { outcomes } of entries) {
    for (const o of outcomes) {
      const problem = evidenceProblem(o);
      if (problem) throw new EvidenceMismatchError(problem);
    }
  }
  if (rows.length === 0) return;
  await db.insert(gateDecisions).values(rows).onConflictDoNothing({ target: [gateDecisions.renderId, gateDecisions.stage] });
}

/**
 * Removes every picture from a render's recorded evidence: for a render found to match a known-content list only
 * after its evidence was recorded (a list entry added later, caught when it is about to be re-released).
 */
export async function withholdRecordedPictures(db: DbOrTx, renderId: string): Promise<void> {
  for (const d of await decisionsFor(db, renderId)) {
    const evidence = withoutInlineMedia(d.evidence) as Record<string, unknown>;
    if (JSON.stringify(evidence) !== JSON.stringify(d.evidence)) {
      await db.update(gateDecisions).set({ evidence: { ...evidence, imagesWithheld: "known_hash_match" } }).where(eq(gateDecisions.id, d.id));
    }
  }
}

export async function decisionsFor(db: DbOrTx, renderId: string, phase?: GatePhase | "release"): Promise<GateDecision[]> {
  return db
    .select()
    .from(gateDecisions)
    .where(phase ? and(eq(gateDecisions.renderId, renderId), eq(gateDecisions.phase, phase)) : eq(gateDecisions.renderId, renderId))
    .orderBy(gateDecisions.createdAt);
}

/** What each recorded stage was, without its evidence or reasons: name, phase, verdict, version, duration. */
export function stagesRun(decisions: readonly GateDecision[]): { name: string; phase: GateDecision["phase"]; verdict: GateDecision["verdict"]; version: string; durationMs: number | null }[] {
  // A phase's decisions are written in one statement (one created_at): within it, the gate's own order.
  const rank = (d: GateDecision) => {
    const kind = stageKind(d.stage);
    return kind ? STAGE_NAMES.indexOf(kind) : STAGE_NAMES.length;
  };
  return [...decisions]
    .sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.createdAt.getTime() - b.createdAt.getTime() || rank(a) - rank(b))
    .map((d) => ({ name: d.stage, phase: d.phase, verdict: d.verdict, version: d.version, durationMs: d.durationMs }));
}
const PHASES: readonly GateDecision["phase"][] = ["pre", "post", "release"];

/** Stored decisions as pipeline outcomes, so a resumed post-gate job skips the stages it already ran. */
export function asOutcomes(decisions: readonly GateDecision[]): Map<string, StageOutcome> {
  return new Map(
    decisions.map((d) => [
      d.stage,
      {
        stage: d.stage,
        verdict: d.verdict,
        reasons: d.reasons,
        score: d.score ?? undefined,
        evidence: d.evidence,
        version: d.version,
        durationMs: d.durationMs ?? 0,
      },
    ]),
  );
}

/** Puts a held render in the queue (once: an open item for the render is reused). */
export async function enqueueReview(
  db: DbOrTx,
  renderId: string,
  reasons: readonly (Reason & { stage?: string })[],
  kind: "gate_hold" | "takedown_notice" | "counter_notice" = "gate_hold",
  noticeId?: string,
): Promise<string> {
  const open = await db
    .select({ id: reviewItems.id })
    .from(reviewItems)
    .where(and(eq(reviewItems.renderId, renderId), eq(reviewItems.kind, kind), inArray(reviewItems.state, ["open", "claimed"])));
  if (open[0]) return open[0].id;
  const categories = await db.select({ key: classifierCategories.key, priority: classifierCategories.priority }).from(classifierCategories);
  const placement = placeInQueue({ reasons, categoryPriority: new Map(categories.map((c) => [c.key, c.priority])) });
  const stage = reasons.find((r) => r === placement.reason)?.stage;
  const [item] = await db
    .insert(reviewItems)
    .values({
      renderId,
      kind,
      reason: placement.reason.code,
      category: placement.reason.category ?? null,
      stage: stage ?? null,
      priority: placement.priority,
      slaDueAt: placement.slaDueAt,
      noticeId: noticeId ?? null,
    })
    .returning({ id: reviewItems.id });
  if (!item) throw new Error("review item insert returned nothing");
  return item.id;
}

/** Reasons of every non-allow outcome, tagged with their stage, for the queue and the API's decision. */
export function objections(outcomes: readonly StageOutcome[]): (Reason & { stage: string })[] {
  return outcomes.filter((o) => o.verdict !== "allow").flatMap((o) => o.reasons.map((r) => ({ ...r, stage: o.stage })));
}
