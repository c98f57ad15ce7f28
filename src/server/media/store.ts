/**
 * Media bytes live in the database (media_objects) so every worker on every machine sees the same files
 * with nothing else to deploy. A production deployment with very large media would put an object store
 * behind these two functions.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { mediaObjects } from "../db/schema";

export interface StoredMedia {
  id: string;
  sha256: string;
  mimeType: string;
  size: number;
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export async function putMedia(db: DbOrTx, bytes: Uint8Array, mimeType: string): Promise<StoredMedia> {
  const sha256 = sha256Hex(bytes);
  const [row] = await db
    .insert(mediaObjects)
    .values({ sha256, mimeType, size: bytes.byteLength, bytes })
    .returning({ id: mediaObjects.id, sha256: mediaObjects.sha256, mimeType: mediaObjects.mimeType, size: mediaObjects.size });
  if (!row) throw new Error("media insert returned nothing");
  return row;
}

export async function getMedia(db: DbOrTx, id: string): Promise<(StoredMedia & { bytes: Uint8Array }) | null> {
  const [row] = await db.select().from(mediaObjects).where(eq(mediaObjects.id, id));
  return row ?? null;
}
