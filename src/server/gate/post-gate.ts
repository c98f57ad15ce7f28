/**
 * The post-render gate (run by a worker from the `post_gate` job) and the release step it ends in.
 * Release = every post-render stage allowed + signed with Content Credentials + signed bytes stored +
 * their SHA-256 recorded. Any failure on the way holds the render; nothing is released unsigned.
 */
import { eq } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { isConnectionError } from "../db/connection-errors";
import { renderCameos, renderFingerprints, renders, works, type Render, type RenderStatus } from "../db/schema";
import { getMedia, putMedia } from "../media/store";
import { isMediaMimeType } from "../media/type";
import { asOutcomes, decisionsFor, enqueueReview, objections, recordDecisions } from "./decisions";
import { readEvidence } from "./evidence";
import { runPhase, type StageOutcome } from "./pipeline";
import { redactForRecording } from "./redact";
import { renderEvent } from "../renders/service";
import type { FrameFingerprint, GateRuntime, ReleaseManifestInput } from "./runtime";
import { transition, TransitionError } from "../renders/status";

export const WORKER: Actor = { label: "worker" };


/** Moves a render from `expected` to `held` and puts it in the queue with the outcomes' reasons (call inside a transaction). */
export async function holdRender(tx: DbOrTx, renderId: string, expected: RenderStatus | RenderStatus[], outcomes: readonly StageOutcome[], actor: Actor): Promise<void> {
  const { from, render: moved } = await transition(tx, renderId, { from: expected, to: "held" }, { verdict: "review", decidedAt: new Date() });
  const reasons = objections(outcomes);
  await enqueueReview(tx, renderId, reasons);
  await audit(tx, actor, { action: "render.held", subjectType: "render", subjectId: renderId, before: { status: from }, after: { status: "held", reasons: reasons.map((r) => `${r.stage}:${r.code}`) } });
  await renderEvent(tx, moved, "render.held");
}

const hold = (db: Db, render: Render, outcomes: readonly StageOutcome[], actor: Actor) =>
  db.transaction((tx) => holdRender(tx, render.id, render.status, outcomes, actor));

/** Runs the post-render stages for a render in `post_gate`. Safe to run again after a crash. */
export async function runPostGate(db: Db, runtime: GateRuntime, renderId: string, actor: Actor = WORKER): Promise<Render["status"]> {
  const [render] = await db.select().from(renders).where(eq(renders.id, renderId));
  if (!render) throw new Error(`render ${renderId} not found`);
  if (render.status !== "post_gate") return render.status; // already decided by an earlier run

  const media = render.outputMediaId ? await getMedia(db, render.outputMediaId) : null;
  if (!media || !isMediaMimeType(media.mimeType)) {
    const outcome: StageOutcome = { stage: "output", verdict: "review", reasons: [{ code: "media_invalid", message: "The render's output is missing or of an unsupported type" }], version: "gate", durationMs: 0 };
    await recordDecisions(db, renderId, "post", [outcome]);
    await hold(db, render, [outcome], actor);
    return "held";
  }

  const done = asOutcomes(await decisionsFor(db, renderId, "post"));
  const stages = await runtime.postStages();
  const ran = await runPhase(
    stages,
    { render: { id: render.id, requesterId: render.requesterId, prompt: render.prompt, cameoHandles: render.cameoHandles }, media: { bytes: media.bytes, mimeType: media.mimeType } },
    done,
    // A database that went away mid-stage is not a finding about the render: the job retries the phase (its last
    // attempt holds the render, jobs.ts), instead of holding it now with a stage_error a moderator must clear.
    { interruptOn: isConnectionError },
  );
  // A known-hash match withholds every picture of the render before anything is written (redact.ts).
  const phase = { ...ran, outcomes: redactForRecording(ran.outcomes) };
  await recordDecisions(db, renderId, "post", phase.outcomes);
  await linkLikenessMatches(db, renderId, phase.outcomes);

  if (phase.verdict === "review") {
    await hold(db, render, phase.outcomes, actor);
    return "held";
  }
  if (phase.verdict === "block") {
    await db.transaction(async (tx) => {
      const { render: moved } = await transition(tx, renderId, { from: "post_gate", to: "blocked" }, { verdict: "block", decidedAt: new Date() });
      const reasons = objections(phase.outcomes);
      await audit(tx, actor, { action: "render.blocked", subjectType: "render", subjectId: renderId, before: { status: "post_gate" }, after: { status: "blocked", reasons: reasons.map((r) => `${r.stage}:${r.code}`) } });
      await renderEvent(tx, moved, "render.blocked");
    });
    return "blocked";
  }
  return release(db, runtime, renderId, { via: "gate", from: ["post_gate"] }, actor, runtime.fingerprintSampled?.(phase.shared) ?? undefined);
}

/**
 * Signs and releases a render that is in one of the `from` statuses. Used by the gate (all stages allowed) and
 * by the release job (a moderator's approval, an appeal reversal, a restored counter-notice). Signing failure
 * records a `provenance` decision and holds the render. A render that left `from` while it was being signed
 * (removed by its cameo's owner, a moderator or a takedown) throws TransitionError and stays where it is.
 */
export async function release(
  db: Db,
  runtime: GateRuntime,
  renderId: string,
  { via, from: expected }: { via: ReleaseManifestInput["releasedVia"]; from: RenderStatus[] },
  actor: Actor,
  /** Fingerprints already computed from the output's frames (the gate has them); else sampled from the file. */
  knownFingerprints?: FrameFingerprint[],
): Promise<Render["status"]> {
  const [render] = await db.select().from(renders).where(eq(renders.id, renderId));
  if (!render) throw new Error(`render ${renderId} not found`);
  if (!expected.includes(render.status)) throw new TransitionError(renderId, "released", render.status);
  const stage = via === "gate" ? "provenance" : `provenance:${via}`;
  const media = render.outputMediaId ? await getMedia(db, render.outputMediaId) : null;
  const started = performance.now();
  let signed: { bytes: Uint8Array; sha256: string; mimeType: string; version: string; fingerprints: FrameFingerprint[]; durationMs: number };
  try {
    if (!media || !isMediaMimeType(media.mimeType)) throw new Error("no output media to sign");
    const signer = await runtime.signer();
    if (!signer) throw new Error("no signing credentials configured");
    const trainingPreference = await trainingPreferenceFor(db, render);
    const result = await signer.sign({
      bytes: media.bytes,
      mimeType: media.mimeType,
      manifest: {
        renderId,
        engine: render.engine ?? "unknown",
        prompt: runtime.includePromptInManifest ? render.prompt : undefined,
        verdict: "allow",
        policyVersion: render.policyVersion ?? (await runtime.policyVersion()),
        decidedAt: new Date(),
        releasedVia: via,
        trainingPreference,
      },
    });
    const fingerprints = knownFingerprints ?? (await runtime.fingerprint(result.bytes, media.mimeType).catch(() => []));
    signed = { ...result, mimeType: media.mimeType, version: signer.version, fingerprints, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Reading the training preference or the policy version can meet a database that went away: retry the job.
    if (isConnectionError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const outcome: StageOutcome = { stage, verdict: "review", reasons: [{ code: "signing_failed", message: `Signing failed: ${message}` }], evidence: { error: message }, version: "provenance", durationMs: Math.round(performance.now() - started) };
    await recordDecisions(db, renderId, "release", [outcome]);
    if (render.status !== "held") await hold(db, render, [outcome], actor);
    return "held";
  }
  // Storing is not signing: a failure here (the database went away) throws, and the job signs again on its next
  // attempt; it must not hold the render as "signing failed". The conditional transition makes a second release
  // impossible whatever became of the first commit.
  const { fingerprints, durationMs } = signed;
  await db.transaction(async (tx) => {
    const stored = await putMedia(tx, signed.bytes, signed.mimeType);
    // The conditional transition is what makes a double release impossible: the second one throws here.
    const { from, render: moved } = await transition(tx, renderId, { from: expected, to: "released" }, {
      signedMediaId: stored.id,
      signedSha256: signed.sha256,
      releasedAt: new Date(),
      releasedVia: via,
      verdict: "allow",
    });
    await recordDecisions(tx, renderId, "release", [{ stage, verdict: "allow", reasons: [], evidence: { sha256: signed.sha256, size: signed.bytes.byteLength, releasedVia: via }, version: signed.version, durationMs }]);
    if (fingerprints.length > 0) {
      await tx.insert(renderFingerprints).values(fingerprints.map((f) => ({ renderId, ...f })));
    }
    await audit(tx, actor, { action: "render.released", subjectType: "render", subjectId: renderId, before: { status: from }, after: { status: "released", releasedVia: via, sha256: signed.sha256 } });
    await renderEvent(tx, moved, "render.released", { sha256: signed.sha256 });
  });
  return "released";
}

/** Cameos whose faces the likeness stage found: their owners see these renders in "renders using my cameo". */
async function linkLikenessMatches(db: Db, renderId: string, outcomes: readonly StageOutcome[]): Promise<void> {
  const likeness = outcomes.find((o) => o.stage === "likeness");
  const faces = readEvidence("likeness", likeness?.evidence)?.faces ?? [];
  const best = new Map<string, number>();
  for (const { match } of faces) {
    // Protected-people matches name no cameo: there is no owner to show the render to.
    if (match && "cameoId" in match && match.cameoId) best.set(match.cameoId, Math.max(best.get(match.cameoId) ?? 0, match.similarity ?? 0));
  }
  if (best.size === 0) return;
  await db
    .insert(renderCameos)
    .values([...best].map(([cameoId, score]) => ({ renderId, cameoId, source: "likeness", score })))
    .onConflictDoNothing();
}

/** The rights holder's training preference for a work the render matched, if any (cawg.training-mining). */
async function trainingPreferenceFor(db: Db, render: Render): Promise<string | undefined> {
  const decisions = await decisionsFor(db, render.id);
  const workIds = decisions.flatMap((d) => {
    const kind = d.stage === "ip_text" || d.stage === "ip_image" ? d.stage : null;
    const matches = kind ? (readEvidence(kind, d.evidence)?.matches ?? []) : [];
    return matches.map((m) => m.workId).filter((id): id is string => typeof id === "string");
  });
  for (const workId of workIds) {
    const [work] = await db.select({ pref: works.trainingPreference }).from(works).where(eq(works.id, workId));
    if (work?.pref) return work.pref;
  }
  return undefined;
}
