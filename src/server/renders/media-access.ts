/**
 * The one access check for every route that serves stored media or pictures of it (openMedia below):
 *   the console's media route (any object by id), a render's signed release (console page and REST API),
 *   and the moderator queue's thumbnails.
 * Who may see a stored media object by id (canViewMedia):
 *   moderators and admins: any object (they review held and removed content);
 *   creators: the output (or signed release) of their own renders, except while the render is blocked or
 *   taken down: removed content is not served, even to the person who made it;
 *   rights holders: the reference images of their own works.
 * Then a withheld render's file goes only to a moderator with a reveal in force (moderation/withhold.ts).
 * Anyone else, or an unknown id, gets "not found": no route says a file exists that you can't see.
 */
import { and, eq, notInArray, or } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { mediaObjects, renders, workReferences, works } from "../db/schema";
import type { Person } from "../moderation/types";
import { queueThumbnail } from "../moderation/thumbnail";
import { authoriseMediaView } from "../moderation/withhold";
import { UUID_RE } from "../users/platform-users";
import { signedMediaFor } from "./creator-view";
import { renderOfApiKey } from "./service";

/** A signed-in console user, or a platform client by its API key. */
export type MediaViewer = { person: Person } | { apiKeyId: string };

export type MediaTarget =
  /** A stored object by its id (console only). */
  | { mediaId: string }
  /** A render's C2PA-signed release. */
  | { releaseOf: string }
  /** The representative frame of a held render, for the moderator queue (console only). */
  | { thumbnailOf: string };

export interface ServedMedia {
  mimeType: string;
  bytes: Uint8Array;
  /** Null for a queue thumbnail (a picture from the evidence, not a stored object). */
  sha256: string | null;
  /** Why this frame represents the render (queue thumbnails only). */
  why: string | null;
}

/** not_found is all a console user is ever told; a platform client may also learn its own render's state. */
export type MediaRefusal = "not_found" | "taken_down" | "not_released" | "release_missing";

export type MediaAccess = { ok: true; media: ServedMedia; range: ByteRange | "unsatisfiable" | null } | { ok: false; refusal: MediaRefusal; status?: string };

const refuse = (refusal: MediaRefusal, status?: string): MediaAccess => ({ ok: false, refusal, ...(status ? { status } : {}) });
const isStaff = (person: Person) => person.role === "moderator" || person.role === "admin";

/**
 * Whether `viewer` may have `target`, and if so its bytes and the byte range asked for. A moderator's view of a
 * render that is not released is audited here (moderation/withhold.ts), so every route gets that too.
 */
export async function openMedia(db: DbOrTx, viewer: MediaViewer, target: MediaTarget, rangeHeader: string | null = null): Promise<MediaAccess> {
  if ("apiKeyId" in viewer) {
    // The platform API serves only a render's release, to the key that created it (DomainError not_found otherwise).
    if (!("releaseOf" in target)) return refuse("not_found");
    const render = await renderOfApiKey(db, viewer.apiKeyId, target.releaseOf);
    if (render.status === "taken_down") return refuse("taken_down");
    if (render.status !== "released" || !render.signedMediaId) return refuse("not_released", render.status);
    const media = await readMedia(db, render.signedMediaId);
    if (!media) return refuse("release_missing");
    return { ok: true, media: { ...media, why: null }, range: parseRange(rangeHeader, media.size) };
  }
  const { person } = viewer;
  if ("thumbnailOf" in target) {
    if (!isStaff(person) || !UUID_RE.test(target.thumbnailOf)) return refuse("not_found");
    const image = await queueThumbnail(db, target.thumbnailOf);
    return image ? { ok: true, media: { ...image, sha256: null }, range: null } : refuse("not_found");
  }
  let mediaId: string | null;
  if ("releaseOf" in target) {
    mediaId = UUID_RE.test(target.releaseOf) ? await signedMediaFor(db, person, target.releaseOf) : null;
  } else {
    mediaId = UUID_RE.test(target.mediaId) && (await canViewMedia(db, person, target.mediaId)) ? target.mediaId : null;
  }
  const media = mediaId ? await readMedia(db, mediaId) : null;
  if (!media) return refuse("not_found");
  const range = parseRange(rangeHeader, media.size);
  // A removed render's file: withheld without an audited reveal, and every moderator's view of it is audited.
  if (!(await authoriseMediaView(db, person, media.id, { rangeStart: range && range !== "unsatisfiable" ? range.start : 0 }))) return refuse("not_found");
  return { ok: true, media: { ...media, why: null }, range };
}

/** The type of a render's signed release as the API describes it, or null if the object is gone. */
export async function mediaTypeOf(db: DbOrTx, mediaId: string): Promise<string | null> {
  const [row] = await db.select({ mimeType: mediaObjects.mimeType }).from(mediaObjects).where(eq(mediaObjects.id, mediaId));
  return row?.mimeType ?? null;
}

export async function canViewMedia(db: DbOrTx, person: Person, mediaId: string): Promise<boolean> {
  if (person.role === "moderator" || person.role === "admin") return true;
  if (person.role === "creator") {
    const rows = await db
      .select({ id: renders.id })
      .from(renders)
      .where(
        and(
          eq(renders.requesterId, person.id),
          or(eq(renders.outputMediaId, mediaId), eq(renders.signedMediaId, mediaId)),
          notInArray(renders.status, ["blocked", "taken_down"]),
        ),
      )
      .limit(1);
    return rows.length > 0;
  }
  if (person.role === "rights_holder") {
    const rows = await db
      .select({ id: workReferences.id })
      .from(workReferences)
      .innerJoin(works, eq(works.id, workReferences.workId))
      .where(and(eq(workReferences.mediaId, mediaId), eq(works.rightsHolderId, person.id)))
      .limit(1);
    return rows.length > 0;
  }
  return false;
}

/** The object's bytes and type, once access has been checked. */
export async function readMedia(db: DbOrTx, mediaId: string) {
  const [row] = await db
    .select({ id: mediaObjects.id, mimeType: mediaObjects.mimeType, size: mediaObjects.size, sha256: mediaObjects.sha256, bytes: mediaObjects.bytes })
    .from(mediaObjects)
    .where(eq(mediaObjects.id, mediaId));
  return row ?? null;
}

export interface ByteRange {
  start: number;
  end: number; // inclusive
}

/**
 * Parses a single-range `Range: bytes=…` header against a size. Null: no (usable) range, serve it whole;
 * "unsatisfiable": answer 416. Multi-range requests are served whole. Pure.
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === "" && b === "") return null;
  if (a === "") {
    const suffix = Number(b);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}
