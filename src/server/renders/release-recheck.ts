/**
 * What is checked again before a render that a person (or the counter-notice clock) decided to release is
 * signed: the consent of every cameo it names or was matched to (a cameo revoked or narrowed since stops it),
 * and the known-content hash lists (a list entry added since stops it). The decision that ordered the release
 * may be minutes or months old; the world it was made in is not assumed to still hold.
 * Fail closed: a check that cannot run objects.
 */
import { eq, inArray, or } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { cameos, renderCameos, type Render } from "../db/schema";
import { getMedia } from "../media/store";
import { isMediaMimeType } from "../media/type";
import { sampleFrames } from "../ml/frames";
import { checkCameoConsent } from "../cameos/consent";
import { namedHandles } from "../gate/stages/consent";
import { failClosed, type StageOutcome } from "../gate/pipeline";
import { cameoRecords } from "../gate/production-runtime";
import { FRAMES_KEY } from "../gate/stages/frames";
import { currentKnownHashIndex } from "../hash-lists/index-store";
import { createKnownHashStage } from "../gate/stages/known-hashes";
import type { RenderForGate, Stage, StageResult } from "../gate/types";

const asGateRender = (r: Render): RenderForGate => ({ id: r.id, requesterId: r.requesterId, prompt: r.prompt, cameoHandles: r.cameoHandles });

async function timed(stage: Stage, name: string, run: () => Promise<StageResult>): Promise<StageOutcome> {
  const started = performance.now();
  let result: StageResult;
  try {
    result = await run();
  } catch (error) {
    result = failClosed(stage, error);
  }
  return { ...result, stage: name, durationMs: Math.round(performance.now() - started) };
}

/** Every cameo the render names or a face in it matched, under today's status, scope and restrictions. */
export async function recheckConsent(db: DbOrTx, render: Render): Promise<StageOutcome> {
  const stage: Stage = { name: "recheck:cameo_consent", phase: "post", run: async () => ({ verdict: "allow", reasons: [], version: "recheck" }) };
  return timed(stage, stage.name, async () => {
    const handles = namedHandles(render.prompt, render.cameoHandles);
    const linked = (await db.select({ id: renderCameos.cameoId }).from(renderCameos).where(eq(renderCameos.renderId, render.id))).map((l) => l.id);
    const where = [handles.length ? inArray(cameos.handle, handles) : undefined, linked.length ? inArray(cameos.id, linked) : undefined].filter((w) => w !== undefined);
    const records = where.length ? await cameoRecords(db, or(...where)) : [];
    // A cameo matched by likeness is held to the same rules as one the prompt names.
    const mentioned = [...new Set([...handles, ...records.map((c) => c.handle)])];
    return checkCameoConsent({ requesterId: render.requesterId, prompt: render.prompt, cameos: records, mentionedHandles: mentioned });
  });
}

/** The output's frames against today's enabled hash lists. */
async function recheckKnownHashes(db: DbOrTx, render: Render): Promise<StageOutcome> {
  const stage = createKnownHashStage({ getIndex: () => currentKnownHashIndex(db) });
  return timed(stage, "recheck:known_hashes", async () => {
    const media = render.outputMediaId ? await getMedia(db, render.outputMediaId) : null;
    if (!media || !isMediaMimeType(media.mimeType)) throw new Error("the render's output is missing or of an unsupported type");
    const sampled = await sampleFrames(media.bytes, { claimedType: media.mimeType });
    return stage.run({
      render: asGateRender(render),
      media: { bytes: media.bytes, mimeType: media.mimeType },
      earlier: {},
      shared: new Map<string, unknown>([[FRAMES_KEY, sampled]]),
      signal: new AbortController().signal,
    });
  });
}

export async function recheckBeforeRelease(db: DbOrTx, render: Render): Promise<StageOutcome[]> {
  return [await recheckConsent(db, render), await recheckKnownHashes(db, render)];
}
