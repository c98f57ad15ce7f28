/**
 * Rights holders' catalogue: their works (aliases in many languages, policy, reference images), bulk import,
 * and the renders that matched their works. A holder sees only their own; another's work is NOT_FOUND.
 * Admins may act for any holder by naming `rightsHolderId`.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { actorOf } from "../../audit/log";
import { listMatches, referenceCounts, referencesOf, visibleWork } from "../../works/catalogue";
import { notFound } from "../../errors";
import { renderStatusEnum } from "../../db/schema";
import { addReference, approveWork, bulkCreateWorks, createWork, listWorks, updateWork } from "../../works/service";
import { MATCHING_FIELDS, updateWorkSchema, workFieldsSchema } from "../../works/schemas";
import { adminProcedure, rightsHolderProcedure, router, type SessionUser } from "../init";

/** Rows per bulk call: the console sends big files in chunks and shows progress between them. */
export const BULK_CHUNK_ROWS = 500;

/** Whose catalogue a call acts on: always the caller's own, unless an admin names a holder. */
function holderFor(user: SessionUser, rightsHolderId: string | undefined): string | undefined {
  if (user.role === "admin") return rightsHolderId;
  if (rightsHolderId && rightsHolderId !== user.id) throw new TRPCError({ code: "FORBIDDEN", message: "You can only act on your own catalogue." });
  return user.id;
}

function requireHolder(user: SessionUser, rightsHolderId: string | undefined): string {
  const holder = holderFor(user, rightsHolderId);
  if (!holder) throw new TRPCError({ code: "BAD_REQUEST", message: "Name the rights holder (rightsHolderId) to act for." });
  return holder;
}

export const worksRouter = router({
  list: rightsHolderProcedure
    .input(
      z.object({
        search: z.string().max(200).optional(),
        rightsHolderId: z.uuid().optional(),
        cursor: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = await listWorks(ctx.db, { rightsHolderId: holderFor(ctx.user, input.rightsHolderId), search: input.search?.trim() || undefined, cursor: input.cursor, limit: input.limit });
      const refs = await referenceCounts(ctx.db, page.items.map((w) => w.id));
      return { items: page.items.map((w) => ({ ...w, referenceCount: refs.get(w.id) ?? 0 })), nextCursor: page.nextCursor };
    }),

  byId: rightsHolderProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    // Another holder's work is reported as missing, not forbidden: its existence is not ours to reveal.
    const work = await visibleWork(ctx.db, ctx.user, input.id);
    if (!work) throw notFound("work");
    return { ...work, references: await referencesOf(ctx.db, work.id) };
  }),

  create: rightsHolderProcedure
    .input(workFieldsSchema.extend({ rightsHolderId: z.uuid().optional() }))
    .mutation(({ ctx, input }) => {
      const { rightsHolderId, ...fields } = input;
      return createWork(ctx.db, actorOf(ctx.user), { ...fields, rightsHolderId: requireHolder(ctx.user, rightsHolderId) });
    }),

  update: rightsHolderProcedure
    .input(z.object({ id: z.uuid(), patch: updateWorkSchema }))
    .mutation(async ({ ctx, input }) => {
      if (!(await visibleWork(ctx.db, ctx.user, input.id))) throw notFound("work");
      if (ctx.user.role !== "admin" && MATCHING_FIELDS.some((f) => input.patch[f] !== undefined)) {
        throw new TRPCError({ code: "FORBIDDEN", message: "Only an admin can change a work's matching thresholds." });
      }
      return updateWork(ctx.db, actorOf(ctx.user), input.id, input.patch);
    }),

  /** Admins only: a work whose title or alias is very short or a common word starts gating. */
  approve: adminProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => approveWork(ctx.db, actorOf(ctx.user), input.id)),

  /** One chunk of a CSV/JSON import. Rows are validated one by one; `errors[].row` is offset by `firstRow`. */
  bulkImport: rightsHolderProcedure
    .input(
      z.object({
        rows: z.array(z.unknown()).min(1).max(BULK_CHUNK_ROWS),
        /** Index of rows[0] in the whole file, so errors name the file's rows. */
        firstRow: z.number().int().min(0).default(0),
        rightsHolderId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await bulkCreateWorks(ctx.db, actorOf(ctx.user), requireHolder(ctx.user, input.rightsHolderId), input.rows);
      return { created: result.created, ids: result.ids, errors: result.errors.map((e) => ({ row: e.row + input.firstRow, message: e.message })) };
    }),

  /** Server-side only (the upload route handler passes the bytes): tRPC over HTTP cannot carry them. */
  addReference: rightsHolderProcedure
    .input(z.object({ workId: z.uuid(), bytes: z.instanceof(Uint8Array), mimeType: z.string().max(100) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await visibleWork(ctx.db, ctx.user, input.workId))) throw notFound("work");
      const r = await addReference(ctx.db, actorOf(ctx.user), input.workId, input.bytes, input.mimeType);
      return { referenceId: r.reference.id, fingerprinted: r.reference.pdqHash !== null || r.reference.clipEmbedding !== null, analysisError: r.analysisError };
    }),

  /** Every render whose prompt or frames matched one of the caller's works, with the evidence. */
  matches: rightsHolderProcedure
    .input(
      z.object({
        workId: z.uuid().optional(),
        status: z.enum(renderStatusEnum.enumValues).optional(),
        stage: z.enum(["ip_text", "ip_image"]).optional(),
        rightsHolderId: z.uuid().optional(),
        cursor: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(async ({ ctx, input }) => {
      if (input.workId && !(await visibleWork(ctx.db, ctx.user, input.workId))) throw notFound("work");
      return listMatches(ctx.db, holderFor(ctx.user, input.rightsHolderId) ?? null, { workId: input.workId, status: input.status, stage: input.stage }, { cursor: input.cursor, limit: input.limit });
    }),
});
