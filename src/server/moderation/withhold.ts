/**
 * Pictures of the worst material stay on the server until a moderator asks for them, with a reason, in a way
 * the audit log keeps. A render is withheld when a known-content hash list matched it (its evidence holds no
 * pictures at all: gate/redact.ts) or when it was flagged under one of the most distressing categories
 * (BLUR_BY_DEFAULT_CATEGORIES). Until that moderator's reveal, the review detail carries no thumbnails, the
 * queue shows no picture, and the media routes refuse the file; the creator of such a render never gets it.
 * A reveal lasts REVEAL_MINUTES for that moderator and that render. Every reveal, and every time a moderator's
 * browser fetches the media of a render that is not released, is an audit entry.
 * The reveal itself is an audit entry: the append-only log is the one record of who may see what and why.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { audit } from "../audit/log";
import type { DbOrTx } from "../db/client";
import { auditLog, gateDecisions, renders, reviewItems } from "../db/schema";
import { BLUR_BY_DEFAULT_CATEGORIES } from "../policy/defaults";
import { invalid, notFound } from "../errors";
import { readEvidence } from "../gate/evidence";
import type { EvidenceFrame, FaceMatch, ImageMatch, ReviewEvidence } from "./evidence";
import { type Person } from "./types";
import { actorOf } from "../audit/log";

export const REVEAL_MINUTES = 30;
export const REVEALED = "media.revealed";
export const VIEWED = "media.viewed";

export interface Withheld {
  why: "known_hash_match" | "distressing";
  /** The distressing categories the render was flagged under (or the matching list's category). */
  categories: string[];
}

/** As a list, for SQL. */
export const DISTRESSING_CATEGORIES: readonly string[] = [...BLUR_BY_DEFAULT_CATEGORIES];

/** Why this render's pictures are withheld, or null when they may be shown like any other evidence. */
export async function withheldFor(db: DbOrTx, renderId: string): Promise<Withheld | null> {
  const decisions = await db
    .select({ stage: gateDecisions.stage, verdict: gateDecisions.verdict, reasons: gateDecisions.reasons, evidence: gateDecisions.evidence })
    .from(gateDecisions)
    .where(eq(gateDecisions.renderId, renderId));
  const objecting = decisions.filter((d) => d.verdict !== "allow");
  const reasonCategories = objecting.flatMap((d) => d.reasons.map((r) => r.category)).filter((c): c is string => typeof c === "string");
  const items = await db.select({ category: reviewItems.category }).from(reviewItems).where(eq(reviewItems.renderId, renderId));
  const classified = readEvidence("frame_classifiers", decisions.find((d) => d.stage === "frame_classifiers")?.evidence);
  const flagged = (classified?.frames ?? []).flatMap((f) => f.flagged ?? []);
  const categories = [...new Set([...reasonCategories, ...items.map((i) => i.category).filter((c): c is string => c !== null), ...flagged])];
  if (objecting.some((d) => d.stage === "known_hashes" || d.reasons.some((r) => r.code === "known_hash_match"))) {
    return { why: "known_hash_match", categories: categories.filter((c) => BLUR_BY_DEFAULT_CATEGORIES.has(c)) };
  }
  const distressing = categories.filter((c) => BLUR_BY_DEFAULT_CATEGORIES.has(c));
  return distressing.length > 0 ? { why: "distressing", categories: distressing } : null;
}

/** The render whose output (or signed release) this media object is, if any. */
export async function renderOfMedia(db: DbOrTx, mediaId: string) {
  const [render] = await db
    .select({ id: renders.id, status: renders.status, requesterId: renders.requesterId })
    .from(renders)
    .where(sql`${renders.outputMediaId} = ${mediaId} or ${renders.signedMediaId} = ${mediaId}`)
    .limit(1);
  return render ?? null;
}

/** Until when this moderator's reveal of this render holds, or null when there is none in force. */
export async function revealedUntil(db: DbOrTx, renderId: string, person: Pick<Person, "id">): Promise<Date | null> {
  const [row] = await db
    .select({ at: auditLog.createdAt })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.subjectType, "render"),
        eq(auditLog.subjectId, renderId),
        eq(auditLog.action, REVEALED),
        eq(auditLog.actorId, person.id),
        gt(auditLog.createdAt, sql`now() - (${REVEAL_MINUTES}::int * interval '1 minute')`),
      ),
    )
    .orderBy(sql`${auditLog.id} desc`)
    .limit(1);
  return row ? new Date(row.at.getTime() + REVEAL_MINUTES * 60_000) : null;
}

/** A moderator asks to see a withheld render, saying why. The reason and the reveal are in the audit log. */
export async function revealMedia(db: DbOrTx, person: Person, itemId: string, reason: string): Promise<{ renderId: string; until: Date; withheld: Withheld | null }> {
  const why = reason.trim();
  if (why.length < 5) throw invalid("Say why you need to see the media (at least a few words).");
  if (why.length > 1000) throw invalid("The reason may be at most 1,000 characters.");
  const [item] = await db.select({ renderId: reviewItems.renderId }).from(reviewItems).where(eq(reviewItems.id, itemId));
  if (!item) throw notFound("review item");
  const withheld = await withheldFor(db, item.renderId);
  await audit(db, actorOf(person), { action: REVEALED, subjectType: "render", subjectId: item.renderId, after: { reviewItemId: itemId, reason: why, withheld: withheld?.why ?? null, categories: withheld?.categories ?? [], minutes: REVEAL_MINUTES } });
  return { renderId: item.renderId, until: new Date(Date.now() + REVEAL_MINUTES * 60_000), withheld };
}

/**
 * The media route's second check, after canViewMedia (who may see the object at all): a withheld render's file
 * goes only to a moderator with a reveal in force, never to its creator; and a moderator's fetch of a render that
 * is not released is audited (once per playback: byte-range continuations of a video are not separate views).
 */
export async function authoriseMediaView(db: DbOrTx, person: Person, mediaId: string, opts: { rangeStart?: number } = {}): Promise<boolean> {
  const render = await renderOfMedia(db, mediaId);
  if (!render) return true; // not a render's media (e.g. a work's reference image)
  const staff = person.role === "moderator" || person.role === "admin";
  const withheld = render.status === "released" ? null : await withheldFor(db, render.id);
  if (withheld && (!staff || !(await revealedUntil(db, render.id, person)))) return false;
  if (staff && render.status !== "released" && (opts.rangeStart ?? 0) === 0) {
    await audit(db, actorOf(person), { action: VIEWED, subjectType: "render", subjectId: render.id, after: { mediaId, status: render.status, withheld: withheld?.why ?? null } });
  }
  return true;
}

/** The evidence as a moderator may see it now: without any picture while the render is withheld and not revealed. */
export function evidenceForViewer(evidence: ReviewEvidence, showPictures: boolean): ReviewEvidence {
  if (showPictures) return evidence;
  const frames: EvidenceFrame[] = evidence.frames.map(({ thumbnail: _t, ...f }) => f);
  const imageMatches: ImageMatch[] = evidence.imageMatches.map(({ frameThumbnail: _t, ...m }) => m);
  const faces: FaceMatch[] = evidence.faces.map(({ thumbnail: _t, ...f }) => f);
  return { ...evidence, frames, imageMatches, faces };
}
