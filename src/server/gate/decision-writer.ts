/**
 * Group commit for pre-render decisions. Every decision is stored with its stage evidence, its queue item,
 * its webhook deliveries and its audit event in one transaction, committed before the caller is answered.
 * The commit's fsync and the audit chain's head lock (held until commit, so audit writers queue behind each
 * other) are the cost of a decision; so decisions that arrive while a transaction is committing are written
 * together in the next one, with one multi-row INSERT per table. Nothing waits for a batch to fill: a lone
 * decision is written at once, and batches only form when requests overlap.
 *
 * A batch that fails is retried one decision per transaction, so one bad decision fails alone.
 */
import { inArray } from "drizzle-orm";
import { auditMany, type Actor, type AuditEvent } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { cameos, renderCameos, renders, type Render } from "../db/schema";
import { emitEvents } from "../webhooks/events";
import { extractMentions } from "../cameos/mentions";
import { enqueueReview, recordDecisionsOfRenders } from "./decisions";
import type { StageOutcome } from "./pipeline";
import { enqueueRenderJob, ENGINE_QUEUE } from "../renders/render-jobs";
import type { Reason, Verdict } from "./types";

export type DecidedStatus = "approved" | "blocked" | "held";

/** A decided render, ready to store: the row as it will be inserted (id chosen by the caller) and what goes with it. */
export interface DecisionRecord {
  render: typeof renders.$inferInsert & { id: string; status: DecidedStatus; verdict: Verdict; cameoHandles: string[] };
  outcomes: readonly StageOutcome[];
  reasons: readonly (Reason & { stage: string })[];
  /** Queue the console's own engine for an approved render. */
  queueEngine: boolean;
  actor: Actor;
  audit: AuditEvent;
  event: { name: string; payload: Record<string, unknown> };
}

/** `created: false`: another render already holds this idempotency key (the caller returns that one). */
export type WriteOutcome = { created: true; render: Render } | { created: false };

const MAX_BATCH = 64;

/** Mentioned and named cameos become render_cameos rows, for every render of the batch in two statements. */
async function linkMentionedCameos(tx: DbOrTx, stored: readonly Render[]): Promise<void> {
  const handlesOf = new Map(stored.map((r) => [r.id, [...new Set([...extractMentions(r.prompt), ...r.cameoHandles])]]));
  const all = [...new Set([...handlesOf.values()].flat())];
  if (all.length === 0) return;
  const found = await tx.select({ id: cameos.id, handle: cameos.handle }).from(cameos).where(inArray(cameos.handle, all));
  const idOf = new Map(found.map((c) => [c.handle, c.id]));
  const links = stored.flatMap((r) => (handlesOf.get(r.id) ?? []).flatMap((h) => (idOf.has(h) ? [{ renderId: r.id, cameoId: idOf.get(h)!, source: "mention" }] : [])));
  if (links.length > 0) await tx.insert(renderCameos).values(links).onConflictDoNothing();
}

/** Held renders go to the moderators' queue; approved console renders to the engine. */
async function queueWork(tx: DbOrTx, kept: readonly DecisionRecord[]): Promise<void> {
  for (const r of kept) {
    if (r.render.status === "held") await enqueueReview(tx, r.render.id, r.reasons);
    if (r.render.status === "approved" && r.queueEngine) await enqueueRenderJob(tx, { queue: ENGINE_QUEUE, renderId: r.render.id });
  }
}

/** Writes a batch inside the caller's transaction; the audit events go last, so the chain's lock is held briefly. */
export async function writeDecisions(tx: DbOrTx, records: readonly DecisionRecord[]): Promise<WriteOutcome[]> {
  // A concurrent render with the same (API key, idempotency key) wins; ON CONFLICT waits for it to commit or roll back.
  const inserted = await tx
    .insert(renders)
    .values(records.map((r) => r.render))
    .onConflictDoNothing()
    .returning();
  const byId = new Map(inserted.map((r) => [r.id, r]));
  const kept = records.filter((r) => byId.has(r.render.id));
  const stored = kept.map((r) => byId.get(r.render.id)!);
  // Independent of each other: sent together, so the connection pipelines them instead of waiting on each in turn.
  // If one fails the transaction is aborted and every write of the batch is rolled back.
  await Promise.all([
    recordDecisionsOfRenders(tx, kept.map((r) => ({ renderId: r.render.id, phase: "pre" as const, outcomes: r.outcomes }))),
    linkMentionedCameos(tx, stored),
    queueWork(tx, kept),
    emitEvents(
      tx,
      kept.map((r) => ({ apiKeyId: r.render.apiKeyId ?? null, event: r.event.name, payload: { renderId: r.render.id, status: r.render.status, ...r.event.payload } })),
    ),
  ]);
  await auditMany(tx, kept.map((r) => ({ actor: r.actor, event: r.audit })));
  return records.map((r) => {
    const render = byId.get(r.render.id);
    return render ? { created: true, render } : { created: false };
  });
}

interface Pending {
  record: DecisionRecord;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

export class DecisionWriter {
  private readonly waiting: Pending[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  write(record: DecisionRecord): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const outcomes = await this.db.transaction((tx) => writeDecisions(tx, batch.map((p) => p.record)));
          batch.forEach((p, i) => p.resolve(outcomes[i]!));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else await Promise.all(batch.map((p) => this.writeAlone(p)));
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeAlone(p: Pending): Promise<void> {
    try {
      const [outcome] = await this.db.transaction((tx) => writeDecisions(tx, [p.record]));
      p.resolve(outcome!);
    } catch (error) {
      p.reject(error);
    }
  }
}

const writers = new WeakMap<Db, DecisionWriter>();

/** The writer for this database handle (one per handle: batches never mix databases). */
export function decisionWriter(db: Db): DecisionWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new DecisionWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
