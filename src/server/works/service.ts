/**
 * Works: the rights holders' catalogue the IP stages match prompts and frames against. The REST API and
 * the console both call these functions; each change is written to the audit log.
 */
import { ModelUnavailableError } from "../ml/registry/load";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { users, workReferences, works, type Work } from "../db/schema";
import { putMedia } from "../media/store";
import { analyzeReferenceImage, embeddingToBytes } from "../ml";
import { isMediaError } from "../ml/frames/errors";
import { clipThresholds, overrideProblem } from "../ml/clip/thresholds";
import { clipModelId } from "../ml/clip/load";
import { detectMediaType } from "../media/type";
import { describeZodError, notFound, parseInput as parse, DomainError } from "../errors";
import { weakNames } from "./weak-names";
import {
  createWorkSchema,
  listWorksSchema,
  MAX_BULK_ROWS,
  updateWorkSchema,
  workFieldsSchema,
  type CreateWorkInput,
  type ListWorksInput,
  type UpdateWorkInput,
} from "./schemas";

export type WorkReference = typeof workReferences.$inferSelect;

async function assertRightsHolder(db: DbOrTx, userId: string): Promise<void> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!row) throw notFound("rights holder");
}

const auditView = (w: Work) => ({ title: w.title, aliases: w.aliases, policy: w.policy, trainingPreference: w.trainingPreference, rightsHolderId: w.rightsHolderId });

export async function createWork(db: Db, actor: Actor, input: CreateWorkInput): Promise<Work> {
  const data = parse(createWorkSchema, input);
  return db.transaction(async (tx) => {
    await assertRightsHolder(tx, data.rightsHolderId);
    const awaitingApproval = weakNames(data.title, data.aliases).length > 0;
    const [work] = await tx
      .insert(works)
      .values({ ...data, trainingPreference: data.trainingPreference ?? null, awaitingApproval })
      .returning();
    if (!work) throw new Error("work insert returned nothing");
    await audit(tx, actor, { action: "work.created", subjectType: "work", subjectId: work.id, after: { ...auditView(work), awaitingApproval } });
    return work;
  });
}

export async function getWork(db: DbOrTx, workId: string): Promise<Work> {
  const [work] = await db.select().from(works).where(eq(works.id, workId));
  if (!work) throw notFound("work");
  return work;
}

/** A work's CLIP threshold must lie in the range calibrated for the CLIP model in use. */
function assertClipThresholdCalibrated(value: number | null | undefined): void {
  const model = clipModelId();
  const problem = overrideProblem(clipThresholds(model).imageToImage, value, model);
  if (problem) throw new DomainError("invalid", `clipThreshold: ${problem}`);
}

export async function updateWork(db: Db, actor: Actor, workId: string, patch: UpdateWorkInput): Promise<Work> {
  const data = parse(updateWorkSchema, patch);
  assertClipThresholdCalibrated(data.clipThreshold);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(works).where(eq(works.id, workId)).for("update");
    if (!before) throw notFound("work");
    // New names are judged again: a weak title or alias added after an approval needs approving again.
    const renamed = data.title !== undefined || data.aliases !== undefined;
    const awaitingApproval = renamed ? weakNames(data.title ?? before.title, data.aliases ?? before.aliases).length > 0 : before.awaitingApproval;
    const [after] = await tx
      .update(works)
      .set({ ...data, awaitingApproval, updatedAt: new Date() })
      .where(eq(works.id, workId))
      .returning();
    if (!after) throw notFound("work");
    await audit(tx, actor, {
      action: "work.updated",
      subjectType: "work",
      subjectId: workId,
      before: { ...auditView(before), clipThreshold: before.clipThreshold, pdqMaxDistance: before.pdqMaxDistance },
      after: { ...auditView(after), clipThreshold: after.clipThreshold, pdqMaxDistance: after.pdqMaxDistance },
    });
    return after;
  });
}

/** An admin lets a work with a weak name gate (see weak-names.ts). */
export async function approveWork(db: Db, actor: Actor, workId: string): Promise<Work> {
  return db.transaction(async (tx) => {
    const [work] = await tx
      .update(works)
      .set({ awaitingApproval: false, updatedAt: new Date() })
      .where(eq(works.id, workId))
      .returning();
    if (!work) throw notFound("work");
    await audit(tx, actor, { action: "work.approved", subjectType: "work", subjectId: workId, after: { ...auditView(work), weakNames: weakNames(work.title, work.aliases) } });
    return work;
  });
}

export interface BulkResult {
  created: number;
  ids: string[];
  /** Rows that were not inserted, by their index in the input (0-based). */
  errors: { row: number; message: string }[];
}

/** Validates every row on its own: valid rows are inserted (in one transaction), invalid ones reported. */
export async function bulkCreateWorks(db: Db, actor: Actor, rightsHolderId: string, rows: readonly unknown[]): Promise<BulkResult> {
  if (rows.length > MAX_BULK_ROWS) throw new DomainError("too_large", `at most ${MAX_BULK_ROWS} rows per request (got ${rows.length})`);
  const valid: z.output<typeof workFieldsSchema>[] = [];
  const errors: BulkResult["errors"] = [];
  rows.forEach((row, index) => {
    const result = workFieldsSchema.safeParse(row);
    if (result.success) valid.push(result.data);
    else errors.push({ row: index, message: describeZodError(result.error) });
  });
  const ids = await db.transaction(async (tx) => {
    await assertRightsHolder(tx, rightsHolderId);
    const out: string[] = [];
    // Chunked so a 5,000-row upload stays well under PostgreSQL's bind-parameter limit.
    for (let i = 0; i < valid.length; i += 500) {
      const chunk = valid
        .slice(i, i + 500)
        .map((w) => ({ ...w, rightsHolderId, trainingPreference: w.trainingPreference ?? null, awaitingApproval: weakNames(w.title, w.aliases).length > 0 }));
      const inserted = await tx.insert(works).values(chunk).returning({ id: works.id });
      out.push(...inserted.map((r) => r.id));
    }
    if (out.length > 0) {
      await audit(tx, actor, {
        action: "work.bulk_created",
        subjectType: "user",
        subjectId: rightsHolderId,
        after: { created: out.length, rejected: errors.length, workIds: out },
      });
    }
    return out;
  });
  return { created: ids.length, ids, errors };
}

export interface AddReferenceResult {
  reference: WorkReference;
  /** Null when the image was fingerprinted; otherwise why not (the reference is kept and can be re-analysed). */
  analysisError: { code: string; message: string } | null;
}

/**
 * Stores a reference image and fingerprints it (PDQ + CLIP embedding) for post-render matching.
 * When the models are missing the image is kept without fingerprints and the caller is told so: such a
 * reference matches nothing until re-analysed.
 */
export async function addReference(db: Db, actor: Actor, workId: string, bytes: Uint8Array, mimeType: string): Promise<AddReferenceResult> {
  const detected = detectMediaType(bytes);
  if (!detected.supported || (detected.mimeType !== "image/png" && detected.mimeType !== "image/jpeg")) {
    const what = detected.supported ? detected.mimeType : (detected.guess ?? "unrecognised bytes");
    throw new DomainError("unsupported_media", `reference images must be PNG or JPEG (got ${what})`);
  }
  if (mimeType !== detected.mimeType) {
    throw new DomainError("unsupported_media", `declared ${mimeType} but the bytes are ${detected.mimeType}`, "media_type_mismatch");
  }
  await getWork(db, workId);

  let analysis: Awaited<ReturnType<typeof analyzeReferenceImage>> | null = null;
  let analysisError: AddReferenceResult["analysisError"] = null;
  try {
    analysis = await analyzeReferenceImage(bytes);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    // An image the decoder refuses (damaged, a pixel bomb, a file hidden behind it) is the caller's to fix, and
    // is not kept: storing it would keep a reference that can never match, or keep the smuggled file.
    if (isMediaError(err)) throw new DomainError("invalid", `the image cannot be used: ${err.message}`, "media_invalid");
    // A missing model is an operator problem, not the caller's; anything else about the image is reported too.
    analysisError = { code: err instanceof ModelUnavailableError ? "model_unavailable" : "analysis_failed", message: err.message };
  }

  return db.transaction(async (tx) => {
    const media = await putMedia(tx, bytes, detected.mimeType);
    const [reference] = await tx
      .insert(workReferences)
      .values({
        workId,
        mediaId: media.id,
        pdqHash: analysis?.pdqHash ?? null,
        pdqQuality: analysis?.pdqQuality ?? null,
        clipEmbedding: analysis ? embeddingToBytes(analysis.clipEmbedding) : null,
        embeddingModel: analysis?.embeddingModel ?? null,
      })
      .returning();
    if (!reference) throw new Error("reference insert returned nothing");
    await audit(tx, actor, {
      action: "work.reference_added",
      subjectType: "work",
      subjectId: workId,
      after: { referenceId: reference.id, mediaSha256: media.sha256, pdqHash: reference.pdqHash, analysisError: analysisError?.code ?? null },
    });
    return { reference, analysisError };
  });
}

export interface WorkPage {
  items: Work[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

// The cursor carries created_at at full microsecond precision: a JS Date would round it to milliseconds
// and make keyset pagination skip or repeat rows created within the same millisecond.
const createdAtText = sql<string>`to_char(${works.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === "string" &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new DomainError("invalid", "cursor: not a cursor this API returned", "invalid_cursor");
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, keyset-paginated on (created_at, id); `search` matches the title or any alias. */
export async function listWorks(db: DbOrTx, input: ListWorksInput): Promise<WorkPage> {
  const q = parse(listWorksSchema, input);
  const where: SQL[] = [];
  if (q.rightsHolderId) where.push(eq(works.rightsHolderId, q.rightsHolderId));
  if (q.search) {
    const pattern = `%${escapeLike(q.search)}%`;
    where.push(
      sql`(${works.title} ilike ${pattern} or exists (select 1 from jsonb_array_elements(${works.aliases}) a where a->>'text' ilike ${pattern}))`,
    );
  }
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    where.push(sql`(${works.createdAt}, ${works.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ work: works, at: createdAtText })
    .from(works)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(works.createdAt), desc(works.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map((r) => r.work), nextCursor: rows.length > q.limit && last ? encodeCursor(last.at, last.work.id) : null };
}
