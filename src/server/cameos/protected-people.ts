/**
 * The protected-people gallery: admins add a reference photo of someone who must not be generated at all (a public
 * figure, or a person who asked not to be) — consent scope "no one". The likeness stage matches every face in a
 * render against these entries with the same open-set rule as cameos; a match blocks and names the entry.
 */
import { ModelUnavailableError } from "../ml/registry/load";
import { desc, eq } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { protectedFaces } from "../db/schema";
import { analyzeProtectedFacePhoto, bytesToEmbedding, embeddingToBytes } from "../ml";
import { DomainError } from "../errors";

export interface ProtectedFaceView {
  id: string;
  name: string;
  reason: string;
  faceModel: string;
  createdAt: Date;
}

const view = (r: typeof protectedFaces.$inferSelect): ProtectedFaceView => ({ id: r.id, name: r.name, reason: r.reason, faceModel: r.faceModel, createdAt: r.createdAt });

export async function listProtectedFaces(db: DbOrTx): Promise<ProtectedFaceView[]> {
  return (await db.select().from(protectedFaces).orderBy(desc(protectedFaces.createdAt))).map(view);
}

/** Everything the likeness stage needs to match against the gallery. */
export async function protectedFaceEmbeddings(db: DbOrTx): Promise<{ id: string; name: string; reason: string; faceModel: string; embedding: Float32Array }[]> {
  const rows = await db.select().from(protectedFaces);
  return rows.map((r) => ({ id: r.id, name: r.name, reason: r.reason, faceModel: r.faceModel, embedding: bytesToEmbedding(r.faceEmbedding) }));
}

export async function addProtectedFace(db: Db, actor: Actor, input: { name: string; reason: string; photo: Uint8Array }): Promise<ProtectedFaceView> {
  const name = input.name.trim();
  const reason = input.reason.trim();
  if (!name || name.length > 200) throw new DomainError("invalid", "A name of 1–200 characters is required.");
  if (!reason || reason.length > 200) throw new DomainError("invalid", "Say why this person is protected (1–200 characters).");
  let analysis;
  try {
    analysis = await analyzeProtectedFacePhoto(input.photo);
  } catch (error) {
    if (error instanceof ModelUnavailableError) throw error; // fail closed, loudly
    throw new DomainError("invalid", `The photo could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!analysis.embedding) throw new DomainError("invalid", `The photo must show exactly one clear face (found ${analysis.faceCount}).`);
  const embedding = analysis.embedding;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(protectedFaces)
      .values({ name, reason, faceEmbedding: embeddingToBytes(embedding), faceModel: analysis.faceModel, createdBy: actor.userId ?? null })
      .returning();
    if (!row) throw new Error("protected face insert returned nothing");
    await audit(tx, actor, { action: "protected_face.added", subjectType: "protected_face", subjectId: row.id, after: { name, reason, faceModel: row.faceModel } });
    return view(row);
  });
}

export async function removeProtectedFace(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(protectedFaces).where(eq(protectedFaces.id, id)).returning();
    if (!row) throw new DomainError("not_found", "No such protected person.");
    await audit(tx, actor, { action: "protected_face.removed", subjectType: "protected_face", subjectId: id, before: { name: row.name, reason: row.reason } });
  });
}
