/**
 * The rights holder's console read models: whose work is whose, reference images per work, and every render
 * that matched one of their works (from the ip_text / ip_image decisions' evidence, see docs/evidence.md).
 * A holder only ever sees their own works' matches, even when one render matched several holders' works.
 */
import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { gateDecisions, mediaObjects, renders, workReferences, works, type RenderStatus, type StoredReason } from "../db/schema";
import { readEvidence, type Salvaged } from "../gate/evidence";
import type { ImageMatchEvidence } from "../gate/stages/ip-image.evidence";
import type { TextMatchEvidence } from "../gate/stages/ip-text.evidence";

export interface Owner {
  id: string;
  role: string;
}

/** The work if this person may see it (its holder, or an admin); null otherwise, as if it did not exist. */
export async function visibleWork(db: DbOrTx, owner: Owner, workId: string) {
  const [work] = await db.select().from(works).where(eq(works.id, workId));
  if (!work || (owner.role !== "admin" && work.rightsHolderId !== owner.id)) return null;
  return work;
}

export async function referenceCounts(db: DbOrTx, workIds: readonly string[]): Promise<Map<string, number>> {
  if (workIds.length === 0) return new Map();
  const rows = await db
    .select({ workId: workReferences.workId, n: count() })
    .from(workReferences)
    .where(inArray(workReferences.workId, [...workIds]))
    .groupBy(workReferences.workId);
  return new Map(rows.map((r) => [r.workId, Number(r.n)]));
}

export async function referencesOf(db: DbOrTx, workId: string) {
  return db
    .select({
      id: workReferences.id,
      mediaId: workReferences.mediaId,
      mimeType: mediaObjects.mimeType,
      size: mediaObjects.size,
      fingerprinted: sql<boolean>`${workReferences.pdqHash} is not null or ${workReferences.clipEmbedding} is not null`.mapWith(Boolean),
      embeddingModel: workReferences.embeddingModel,
      createdAt: workReferences.createdAt,
    })
    .from(workReferences)
    .innerJoin(mediaObjects, eq(mediaObjects.id, workReferences.mediaId))
    .where(eq(workReferences.workId, workId))
    .orderBy(workReferences.createdAt);
}

/** A reference image's bytes, if the viewer may see its work. */
export async function referenceImage(db: DbOrTx, owner: Owner, workId: string, referenceId: string) {
  const work = await visibleWork(db, owner, workId);
  if (!work) return null;
  const [row] = await db
    .select({ bytes: mediaObjects.bytes, mimeType: mediaObjects.mimeType, sha256: mediaObjects.sha256 })
    .from(workReferences)
    .innerJoin(mediaObjects, eq(mediaObjects.id, workReferences.mediaId))
    .where(and(eq(workReferences.id, referenceId), eq(workReferences.workId, workId)));
  return row ?? null;
}

// ---------------------------------------------------------------- matches

/** A prompt match as recorded by ip_text (gate/stages/ip-text.evidence.ts), as far as the record holds it. */
export type TextMatch = Salvaged<TextMatchEvidence> & { workId: string };
/** A frame ↔ reference image match as recorded by ip_image (gate/stages/ip-image.evidence.ts). */
export type ImageMatch = Salvaged<ImageMatchEvidence> & { workId: string };

export interface MatchRow {
  decisionId: string;
  renderId: string;
  stage: "ip_text" | "ip_image";
  verdict: "allow" | "review" | "block";
  decidedAt: Date;
  prompt: string;
  renderStatus: RenderStatus;
  releasedAt: Date | null;
  reasons: StoredReason[];
  /** Only this holder's works. */
  textMatches: TextMatch[];
  imageMatches: ImageMatch[];
}

export interface MatchFilter {
  workId?: string;
  /** "blocked" | "held" | "released" | … (the render's current status). */
  status?: RenderStatus;
  stage?: "ip_text" | "ip_image";
}

const matchesArray = sql`case when jsonb_typeof(${gateDecisions.evidence}->'matches') = 'array' then ${gateDecisions.evidence}->'matches' else '[]'::jsonb end`;

function encodeCursor(at: string, id: string) {
  return Buffer.from(JSON.stringify([at, id])).toString("base64url");
}
function decodeCursor(cursor: string): [string, string] | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string" && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v[0]) && /^[0-9a-f-]{36}$/i.test(v[1])) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through
  }
  return null;
}

const decidedAtText = sql<string>`to_char(${gateDecisions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Renders whose ip_text / ip_image decision names one of `holderId`'s works (every holder's when null: admins),
 * newest first, keyset-paginated on the decision's (created_at, id).
 */
export async function listMatches(db: DbOrTx, holderId: string | null, filter: MatchFilter, page: { cursor?: string; limit: number }) {
  const owned = holderId ? sql`and w.rights_holder_id = ${holderId}` : sql``;
  const work = filter.workId ? sql`and w.id = ${filter.workId}::uuid` : sql``;
  const where: SQL[] = [
    filter.stage ? eq(gateDecisions.stage, filter.stage) : inArray(gateDecisions.stage, ["ip_text", "ip_image"]),
    sql`exists (select 1 from jsonb_array_elements(${matchesArray}) m join ${works} w on w.id::text = m->>'workId' where true ${owned} ${work})`,
  ];
  if (filter.status) where.push(eq(renders.status, filter.status));
  const cursor = page.cursor ? decodeCursor(page.cursor) : null;
  if (cursor) where.push(sql`(${gateDecisions.createdAt}, ${gateDecisions.id}) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)`);

  const rows = await db
    .select({
      decisionId: gateDecisions.id,
      renderId: gateDecisions.renderId,
      stage: gateDecisions.stage,
      verdict: gateDecisions.verdict,
      decidedAt: gateDecisions.createdAt,
      at: decidedAtText,
      reasons: gateDecisions.reasons,
      evidence: gateDecisions.evidence,
      prompt: renders.prompt,
      renderStatus: renders.status,
      releasedAt: renders.releasedAt,
    })
    .from(gateDecisions)
    .innerJoin(renders, eq(renders.id, gateDecisions.renderId))
    .where(and(...where))
    .orderBy(desc(gateDecisions.createdAt), desc(gateDecisions.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);

  // Which of the matched works are this holder's: other holders' matches are never shown.
  const matchedIds = new Set<string>();
  for (const r of pageRows) for (const m of matchList(r.stage, r.evidence)) matchedIds.add(m.workId);
  const mine = matchedIds.size
    ? await db
        .select({ id: works.id, title: works.title })
        .from(works)
        .where(holderId ? and(inArray(works.id, [...matchedIds]), eq(works.rightsHolderId, holderId)) : inArray(works.id, [...matchedIds]))
    : [];
  const titles = new Map(mine.map((w) => [w.id, w.title]));
  const keep = <T extends { workId: string; workTitle?: string }>(m: T): T | null =>
    titles.has(m.workId) && (!filter.workId || m.workId === filter.workId) ? { ...m, workTitle: titles.get(m.workId) } : null;

  const items: MatchRow[] = pageRows.map((r) => {
    const stage = r.stage as MatchRow["stage"];
    return {
      decisionId: r.decisionId,
      renderId: r.renderId,
      stage,
      verdict: r.verdict,
      decidedAt: r.decidedAt,
      prompt: r.prompt,
      renderStatus: r.renderStatus,
      releasedAt: r.releasedAt,
      // Reasons can name other holders' works in their message; keep only those naming ours, or the codes.
      reasons: r.reasons.map((x) => ({ ...x, message: [...titles.values()].some((t) => x.message.includes(t)) ? x.message : x.code.replaceAll("_", " ") })),
      textMatches: stage === "ip_text" ? textMatches(r.evidence).map(keep).filter((m): m is TextMatch => m !== null) : [],
      imageMatches: stage === "ip_image" ? imageMatches(r.evidence).map(keep).filter((m): m is ImageMatch => m !== null) : [],
    };
  });
  const last = pageRows.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.at, last.decisionId) : null };
}

const hasWork = <T extends { workId?: string }>(m: T): m is T & { workId: string } => typeof m.workId === "string";
const textMatches = (evidence: unknown): TextMatch[] => (readEvidence("ip_text", evidence)?.matches ?? []).filter(hasWork);
const imageMatches = (evidence: unknown): ImageMatch[] => (readEvidence("ip_image", evidence)?.matches ?? []).filter(hasWork);
const matchList = (stage: string, evidence: unknown): { workId: string }[] => (stage === "ip_text" ? textMatches(evidence) : stage === "ip_image" ? imageMatches(evidence) : []);
