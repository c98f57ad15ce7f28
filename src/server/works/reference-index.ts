/**
 * Rights holders' reference images, indexed for the post-render IP stage: their CLIP embeddings in an
 * in-memory vector index and their PDQ hashes in a flat list. Each worker builds its own and rebuilds it
 * when references or works change (a cheap aggregate tells), like the prompt matcher.
 */
import { count, eq, max } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { workReferences, works } from "../db/schema";
import { versionedCache } from "../lib/versioned-cache";
import { bytesToEmbedding } from "../ml/index";
import { VectorIndex } from "../ml/vector-index";
import { DEFAULT_PDQ_DISTANCE, MAX_PDQ_DISTANCE } from "./schemas";
import { worksVersion } from "./matcher-cache";

export interface ReferenceInfo {
  referenceId: string;
  referenceMediaId: string;
  workId: string;
  workTitle: string;
  policy: "block" | "review" | "allow";
  /** The work's own CLIP threshold (admin-set), or null for the model's calibrated default. */
  clipThreshold: number | null;
  pdqMaxDistance: number;
  pdqHash: string | null;
  pdqQuality: number | null;
}

export interface ReferenceIndex {
  version: string;
  byId: Map<string, ReferenceInfo>;
  clip: VectorIndex;
  /** Embedding model the stored embeddings came from; frames must be embedded by the same one. */
  embeddingModels: Set<string>;
  pdq: ReferenceInfo[];
}

// The CLIP threshold has no default here: it belongs to the CLIP model (its manifest entry).

async function referencesVersion(db: DbOrTx): Promise<string> {
  const [row] = await db.select({ n: count(), latest: max(workReferences.createdAt) }).from(workReferences);
  return `${row?.n ?? 0}:${row?.latest ? new Date(row.latest).getTime() : 0}|${await worksVersion(db)}`;
}

async function build(db: DbOrTx, version: string): Promise<ReferenceIndex> {
  const rows = await db
    .select({
      id: workReferences.id,
      mediaId: workReferences.mediaId,
      workId: works.id,
      title: works.title,
      policy: works.policy,
      clipThreshold: works.clipThreshold,
      pdqMaxDistance: works.pdqMaxDistance,
      pdqHash: workReferences.pdqHash,
      pdqQuality: workReferences.pdqQuality,
      embedding: workReferences.clipEmbedding,
      model: workReferences.embeddingModel,
    })
    .from(workReferences)
    .innerJoin(works, eq(works.id, workReferences.workId))
    // Like the prompt matcher: a work awaiting an admin's approval does not gate yet.
    .where(eq(works.awaitingApproval, false));
  const byId = new Map<string, ReferenceInfo>();
  const withEmbedding = rows.filter((r) => r.embedding);
  const dim = withEmbedding[0] ? bytesToEmbedding(withEmbedding[0].embedding!).length : 0;
  const clip = new VectorIndex(dim || 1);
  const embeddingModels = new Set<string>();
  const pdq: ReferenceInfo[] = [];
  for (const r of rows) {
    const info: ReferenceInfo = {
      referenceId: r.id,
      referenceMediaId: r.mediaId,
      workId: r.workId,
      workTitle: r.title,
      policy: r.policy,
      clipThreshold: r.clipThreshold,
      pdqMaxDistance: Math.min(r.pdqMaxDistance ?? DEFAULT_PDQ_DISTANCE, MAX_PDQ_DISTANCE),
      pdqHash: r.pdqHash,
      pdqQuality: r.pdqQuality,
    };
    byId.set(r.id, info);
    if (r.embedding) {
      const v = bytesToEmbedding(r.embedding);
      if (v.length === dim) clip.add(r.id, v);
      if (r.model) embeddingModels.add(r.model);
    }
    if (r.pdqHash) pdq.push(info);
  }
  return { version, byId, clip, embeddingModels, pdq };
}

/** The index for the references as they are now (rebuilt only after a reference or work changed). */
export const currentReferenceIndex = versionedCache<DbOrTx, ReferenceIndex>(referencesVersion, build);
