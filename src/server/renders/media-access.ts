/**
 * Who may see a stored media object through the console's media route:
 *   moderators and admins: any object (they review held and removed content);
 *   creators: the output (or signed release) of their own renders, except while the render is blocked or
 *   taken down: removed content is not served, even to the person who made it;
 *   rights holders: the reference images of their own works.
 * Anyone else, or an unknown id, gets "not found": the route never says a file exists that you can't see.
 */
import { and, eq, notInArray, or } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { mediaObjects, renders, workReferences, works } from "../db/schema";
import type { Person } from "../moderation/types";

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
