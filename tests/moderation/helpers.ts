/** Fixtures for the moderation tests: real renders in real states, made the way the gate makes them. */
import sharp from "sharp";
import { eq } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { gateDecisions, renders, reviewItems } from "@/server/db/schema";
import { enqueueReview } from "@/server/gate/decisions";
import type { GateRuntime } from "@/server/gate/runtime";
import { putMedia } from "@/server/media/store";
import { demoUser } from "../helpers/callers";

export const mod = demoUser("mod@clearance.test");
export const mod2 = demoUser("mod2@clearance.test");
export const admin = demoUser("admin@clearance.test");
export const ava = demoUser("ava@creator.test");
export const ben = demoUser("ben@creator.test");
export const leaf = demoUser("rights@leafstudio.test");
export const pocket = demoUser("rights@pocketmonsters.test");

/** Seeded work ids (see src/server/db/seed.ts). */
export const NARUTO = "00000000-0000-4000-9000-000000000101";
export const POKEMON = "00000000-0000-4000-9000-000000000103";

export { codeOf } from "../helpers/callers";

/** A small real PNG: a render's output, which the signer can sign. */
export async function pngBytes(seed = 0): Promise<Uint8Array> {
  const buf = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: (seed * 37) % 256, g: 120, b: 200 } } }).png().toBuffer();
  return new Uint8Array(buf);
}

export interface HeldOptions {
  requesterId?: string;
  prompt?: string;
  /** Post-render hold (has output) or pre-render hold (no output yet). */
  output?: boolean;
  reason?: string;
  category?: string;
  stage?: string;
}

let counter = 0;

/** A held render with its gate decision and its review item, as the gate leaves it. */
export async function heldRender(db: Db, o: HeldOptions = {}): Promise<{ renderId: string; itemId: string }> {
  counter++;
  const output = o.output ? await putMedia(db, await pngBytes(counter), "image/png") : null;
  const [render] = await db
    .insert(renders)
    .values({
      requesterId: o.requesterId ?? ava.id,
      prompt: o.prompt ?? `test render ${counter} of a lighthouse`,
      status: "held",
      engine: "demo",
      verdict: "review",
      policyVersion: "p1",
      outputMediaId: output?.id ?? null,
      outputAt: output ? new Date() : null,
      decidedAt: new Date(),
    })
    .returning();
  const stage = o.stage ?? (o.output ? "frame_classifiers" : "prompt_policy");
  const reason = { code: o.reason ?? "classifier_flag", message: "flagged for review", category: o.category ?? "graphic_violence", score: 0.42, stage };
  await db.insert(gateDecisions).values({
    renderId: render!.id,
    stage,
    phase: o.output ? "post" : "pre",
    verdict: "review",
    score: 0.42,
    reasons: [reason],
    evidence: {},
    version: "test",
  });
  const itemId = await enqueueReview(db, render!.id, [reason]);
  return { renderId: render!.id, itemId };
}

/** A released render (signed output served to the world). */
export async function releasedRender(db: Db, requesterId = ava.id): Promise<string> {
  counter++;
  const output = await putMedia(db, await pngBytes(counter), "image/png");
  const [render] = await db
    .insert(renders)
    .values({ requesterId, prompt: `released render ${counter}`, status: "released", engine: "demo", verdict: "allow", policyVersion: "p1", outputMediaId: output.id, signedMediaId: output.id, releasedAt: new Date(), releasedVia: "gate" })
    .returning();
  return render!.id;
}

export async function renderStatus(db: Db, renderId: string) {
  const [r] = await db.select({ status: renders.status }).from(renders).where(eq(renders.id, renderId));
  return r?.status;
}

export async function item(db: Db, itemId: string) {
  const [r] = await db.select().from(reviewItems).where(eq(reviewItems.id, itemId));
  return r!;
}

/**
 * A gate runtime for the paths that never sign (removals, escalations, pre-render approvals): if one of
 * them ever tried to release, the missing signer would hold the render and the test would see it.
 */
export const NO_SIGNING_RUNTIME: GateRuntime = {
  prePhase: async () => ({ stages: [], policyVersion: "test" }),
  postStages: async () => [],
  signer: async () => null,
  fingerprint: async () => [],
  policyVersion: async () => "test",
  includePromptInManifest: false,
};
