/**
 * The render lifecycle as the platform and the console drive it: request (pre-render gate), output
 * (queues the post-render gate), release (sign + store), take-down. The REST API and tRPC both call these.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { renders, type Render } from "../db/schema";
import { putMedia } from "../media/store";
import { emitEvent } from "../webhooks/events";
import { asOutcomes, decisionsFor, objections } from "../gate/decisions";
import { decisionWriter } from "../gate/decision-writer";
import { runPhase } from "../gate/pipeline";
import { enqueueRenderJob, POST_GATE_QUEUE } from "./render-jobs";
import type { GateRuntime } from "../gate/runtime";
import { transition } from "./status";
import { DomainError, notFound } from "../errors";
import { UUID_RE } from "../users/platform-users";
import type { Reason, Verdict } from "../gate/types";

export interface RenderRequest {
  prompt: string;
  requesterId: string;
  cameoHandles?: string[];
  apiKeyId?: string | null;
  idempotencyKey?: string | null;
  engine?: string;
  /** Render it with the console's own engine once approved (queued with the approval, in one transaction). */
  queueEngine?: boolean;
}

export interface GateDecisionSummary {
  verdict: Verdict;
  reasons: (Reason & { stage: string })[];
}

export interface RenderRequestResult {
  render: Render;
  decision: GateDecisionSummary;
  /** False when an idempotency key returned an existing render. */
  created: boolean;
}

/** The platform's events for a render, sent to its webhooks (if the render came through the API). */
export async function renderEvent(db: DbOrTx, render: Pick<Render, "id" | "status" | "apiKeyId">, event: string, extra: Record<string, unknown> = {}) {
  await emitEvent(db, render.apiKeyId ?? null, event, { renderId: render.id, status: render.status, ...extra });
}

/** Idempotency keys are scoped to the API key that sent them (or, from the console, to the requester). */
async function existingFor(db: DbOrTx, req: RenderRequest) {
  if (!req.idempotencyKey) return null;
  const scope = req.apiKeyId ? eq(renders.apiKeyId, req.apiKeyId) : and(isNull(renders.apiKeyId), eq(renders.requesterId, req.requesterId));
  const [row] = await db.select().from(renders).where(and(scope, eq(renders.idempotencyKey, req.idempotencyKey)));
  if (!row) return null;
  // A reused key must mean a retry of the same request, not a new one that silently gets an old answer.
  if (row.prompt !== req.prompt || row.requesterId !== req.requesterId) {
    throw new DomainError("conflict", "this idempotencyKey was already used for a different request", "idempotency_key_reused");
  }
  return row;
}

/** A render belongs to the API key that created it; to any other key (or for a malformed id) it does not exist. */
export async function renderOfApiKey(db: DbOrTx, apiKeyId: string, id: string | undefined): Promise<Render> {
  if (!id || !UUID_RE.test(id)) throw new DomainError("not_found", "render not found");
  const [render] = await db.select().from(renders).where(eq(renders.id, id));
  if (!render || render.apiKeyId !== apiKeyId) throw new DomainError("not_found", "render not found");
  return render;
}

export async function decisionSummary(db: DbOrTx, render: Render): Promise<GateDecisionSummary> {
  const outcomes = [...asOutcomes(await decisionsFor(db, render.id)).values()];
  return { verdict: render.verdict ?? "allow", reasons: objections(outcomes) };
}

/**
 * Pre-render gate: consent, IP opt-outs, prompt policy. Returns approved, blocked or held.
 * The stages run first, on the request as given; the render is then stored already decided, with its evidence,
 * queue item, webhook deliveries and audit event, in one transaction shared with concurrent decisions
 * (decision-writer.ts): one commit per batch of requests, not two per request. The same idempotency key returns
 * the earlier render (created: false), or a conflict when it was used for a different request.
 */
export async function requestRender(db: Db, runtime: GateRuntime, req: RenderRequest, actor: Actor): Promise<RenderRequestResult> {
  const prior = await existingFor(db, req);
  if (prior) return { render: prior, decision: await decisionSummary(db, prior), created: false };

  const id = randomUUID();
  const requestedAt = new Date();
  const cameoHandles = (req.cameoHandles ?? []).map((h) => h.replace(/^@/, "").toLowerCase());
  const { stages, policyVersion } = await runtime.prePhase();
  const phase = await runPhase(stages, { render: { id, requesterId: req.requesterId, prompt: req.prompt, cameoHandles } });
  const reasons = objections(phase.outcomes);
  const to = phase.verdict === "allow" ? "approved" : phase.verdict === "block" ? "blocked" : "held";

  const written = await decisionWriter(db).write({
    render: {
      id,
      prompt: req.prompt,
      requesterId: req.requesterId,
      cameoHandles,
      apiKeyId: req.apiKeyId ?? null,
      idempotencyKey: req.idempotencyKey ?? null,
      engine: req.engine ?? null,
      status: to,
      verdict: phase.verdict,
      policyVersion,
      requestedAt,
      decidedAt: new Date(),
    },
    outcomes: phase.outcomes,
    reasons,
    queueEngine: req.queueEngine ?? false,
    actor,
    audit: {
      action: `render.${to}`,
      subjectType: "render",
      subjectId: id,
      before: { status: "requested" },
      after: { status: to, verdict: phase.verdict, policyVersion, reasons: reasons.map((r) => r.code) },
    },
    event: { name: `render.${to}`, payload: { verdict: phase.verdict } },
  });
  if (!written.created) {
    // Two requests with one idempotency key raced: the loser returns the winner's render.
    const winner = await existingFor(db, req);
    if (!winner) throw new Error("render insert conflicted, but no render holds its idempotency key");
    return { render: winner, decision: await decisionSummary(db, winner), created: false };
  }
  return { render: written.render, decision: { verdict: phase.verdict, reasons }, created: true };
}

/** The engine's output: stored, then the post-render gate is queued (in the same transaction). */
export async function submitOutput(
  db: Db,
  renderId: string,
  media: { bytes: Uint8Array; mimeType: "video/mp4" | "image/png" | "image/jpeg" },
  actor: Actor,
): Promise<Render> {
  return db.transaction(async (tx) => {
    const [render] = await tx.select().from(renders).where(eq(renders.id, renderId)).for("update");
    if (!render) throw notFound("render");
    if (render.status !== "approved" && render.status !== "generating") {
      throw new DomainError("conflict", `output is only accepted for an approved render (this one is ${render.status})`);
    }
    const stored = await putMedia(tx, media.bytes, media.mimeType);
    const { render: moved } = await transition(tx, renderId, { from: render.status, to: "post_gate" }, { outputMediaId: stored.id, outputAt: new Date() });
    await enqueueRenderJob(tx, { queue: POST_GATE_QUEUE, renderId });
    await audit(tx, actor, {
      action: "render.output_received",
      subjectType: "render",
      subjectId: renderId,
      before: { status: render.status },
      after: { status: "post_gate", mediaSha256: stored.sha256, size: stored.size, mimeType: media.mimeType },
    });
    return moved;
  });
}

/** Takes a released (or held) render down: its media stops being served (410). */
export async function takeDown(db: Db, renderId: string, actor: Actor, reason: string): Promise<Render> {
  return db.transaction(async (tx) => {
    const { from, render } = await transition(tx, renderId, { from: ["released", "held"], to: "taken_down" }, { takenDownAt: new Date() });
    await audit(tx, actor, { action: "render.taken_down", subjectType: "render", subjectId: renderId, before: { status: from }, after: { status: "taken_down", reason } });
    await renderEvent(tx, render, "render.taken_down", { reason });
    return render;
  });
}
