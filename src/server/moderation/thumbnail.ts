/**
 * The queue's picture of a held render: the representative frame from its post-render evidence (see
 * `representativeFrame`), read from the stored decisions, never from the media itself (no decoding per row).
 */
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { gateDecisions } from "../db/schema";
import { decodeDataUri, parseEvidence, representativeFrame } from "./evidence";
import { withheldFor } from "./withhold";

/** The stages whose evidence carries frame thumbnails, and known_hashes, whose match withholds them. */
const FRAME_STAGES = ["frames", "frame_classifiers", "ip_image", "likeness", "known_hashes"];

export async function queueThumbnail(db: DbOrTx, renderId: string): Promise<{ mimeType: string; bytes: Uint8Array; why: string } | null> {
  const decisions = await db
    .select()
    .from(gateDecisions)
    .where(and(eq(gateDecisions.renderId, renderId), inArray(gateDecisions.stage, FRAME_STAGES)));
  if (decisions.length === 0) return null;
  // Known material and the most distressing categories show no picture in the queue (withhold.ts).
  if (await withheldFor(db, renderId)) return null;
  const frame = representativeFrame(parseEvidence(decisions, 0));
  const image = frame && decodeDataUri(frame.thumbnail);
  return image ? { ...image, why: frame.why } : null;
}
