/**
 * A creator's own cameos: register, enroll (video), who may use it (scope + approved people by email),
 * restrictions, pause/resume, revoke, and every render that used it (with a remove button). Another person's
 * cameo is NOT_FOUND; admins may act on any.
 */
import { z } from "zod";
import { actorOf } from "../../audit/log";
import { notFound } from "../../errors";
import { RESTRICTION_CHOICES } from "../../cameos/restriction-options";
import { peopleByIds } from "../../users/lookup";
import {
  approvalsByEmail,
  cameoLinksByRender,
  cameosOwnedBy,
  cameosUsableBy,
  enrollCameo,
  getCameo,
  isRenderLinkedToCameo,
  registerCameo,
  rendersUsingCameo,
  revokeCameo,
  updateCameo,
} from "../../cameos/service";
import { cameoHandleSchema, cameoScopeSchema, restrictionsSchema } from "../../cameos/schemas";
import type { Db } from "../../db/client";
import { takeDown } from "../../renders/service";
import { creatorProcedure, router, type SessionUser } from "../init";

const handleInput = z.object({ handle: z.string().min(1).max(41) });

/** The cameo if it is the caller's (or the caller is an admin); NOT_FOUND otherwise. */
async function ownCameo(db: Db, user: SessionUser, handle: string) {
  const cameo = await getCameo(db, handle);
  if (user.role !== "admin" && cameo.ownerId !== user.id) throw notFound("cameo");
  return cameo;
}

/**
 * What the console shows of a cameo: never the face embedding. Approved people are shown as the e-mails the
 * owner typed, whether or not each has an account (names would tell which do).
 */
async function view(db: Db, cameo: Awaited<ReturnType<typeof getCameo>>) {
  const people = await peopleByIds(db, cameo.approvedUserIds);
  const approved = [...new Set([...people.map((p) => p.email?.toLowerCase()).filter((e): e is string => Boolean(e)), ...cameo.approvedEmails])]
    .sort()
    .map((email) => ({ email }));
  const report = cameo.enrollmentReport as { passed?: boolean; reasons?: string[] } | null;
  return {
    id: cameo.id,
    handle: cameo.handle,
    ownerId: cameo.ownerId,
    status: cameo.status,
    scope: cameo.scope,
    restrictions: cameo.restrictions,
    approved,
    enrollment: report ? { passed: report.passed === true, reasons: report.reasons ?? [] } : null,
    enrolledAt: cameo.enrolledAt,
    revokedAt: cameo.revokedAt,
    createdAt: cameo.createdAt,
    updatedAt: cameo.updatedAt,
  };
}

export const cameosRouter = router({
  /** The caller's cameos (their likeness), handle order. */
  mine: creatorProcedure.query(({ ctx }) => cameosOwnedBy(ctx.db, ctx.user.id)),

  byHandle: creatorProcedure.input(handleInput).query(async ({ ctx, input }) => view(ctx.db, await ownCameo(ctx.db, ctx.user, input.handle))),

  /** Restriction keys an owner may set, with labels. */
  restrictions: creatorProcedure.query(() => RESTRICTION_CHOICES),

  /** Cameos the caller may put in a render: their own active ones, and others' that allow them. */
  usable: creatorProcedure.query(({ ctx }) => cameosUsableBy(ctx.db, ctx.user.id)),

  register: creatorProcedure
    .input(z.object({ handle: cameoHandleSchema, scope: cameoScopeSchema.default("only_me") }))
    .mutation(async ({ ctx, input }) => view(ctx.db, await registerCameo(ctx.db, actorOf(ctx.user), { handle: input.handle, ownerId: ctx.user.id, scope: input.scope }))),

  /** Server-side only (the upload route passes the video bytes). */
  enroll: creatorProcedure
    .input(z.object({ handle: z.string().min(1).max(41), video: z.instanceof(Uint8Array) }))
    .mutation(async ({ ctx, input }) => {
      const cameo = await ownCameo(ctx.db, ctx.user, input.handle);
      const r = await enrollCameo(ctx.db, actorOf(ctx.user), cameo.handle, input.video);
      const report = r.report as { reasons?: unknown; error?: unknown };
      return {
        outcome: r.outcome,
        status: r.cameo.status,
        reasons: Array.isArray(report.reasons) ? report.reasons.filter((x): x is string => typeof x === "string") : [],
        analysisError: typeof report.error === "string" ? report.error : null,
      };
    }),

  /** Who may use it and on what terms. `approvedEmails` replaces the whole approved list. */
  update: creatorProcedure
    .input(
      z.object({
        handle: z.string().min(1).max(41),
        scope: cameoScopeSchema.optional(),
        approvedEmails: z.array(z.string().trim().max(320)).max(1000).optional(),
        restrictions: restrictionsSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const cameo = await ownCameo(ctx.db, ctx.user, input.handle);
      const updated = await updateCameo(ctx.db, actorOf(ctx.user), cameo.handle, {
        ...(input.scope ? { scope: input.scope } : {}),
        ...(input.approvedEmails ? await approvalsByEmail(ctx.db, cameo.ownerId, input.approvedEmails) : {}),
        ...(input.restrictions ? { restrictions: input.restrictions } : {}),
      });
      return view(ctx.db, updated);
    }),

  setPaused: creatorProcedure.input(handleInput.extend({ paused: z.boolean() })).mutation(async ({ ctx, input }) => {
    const cameo = await ownCameo(ctx.db, ctx.user, input.handle);
    return view(ctx.db, await updateCameo(ctx.db, actorOf(ctx.user), cameo.handle, { status: input.paused ? "paused" : "active" }));
  }),

  /** For good: the cameo can never be used again, and every released render that used it is taken down. */
  revoke: creatorProcedure.input(handleInput).mutation(async ({ ctx, input }) => {
    const cameo = await ownCameo(ctx.db, ctx.user, input.handle);
    const r = await revokeCameo(ctx.db, actorOf(ctx.user), cameo.handle);
    return { cameo: await view(ctx.db, r.cameo), takenDown: r.takenDown };
  }),

  /** Every render that used this cameo (mentioned, or its likeness found in the frames). */
  renders: creatorProcedure.input(handleInput).query(async ({ ctx, input }) => {
    const cameo = await ownCameo(ctx.db, ctx.user, input.handle);
    const [rows, links] = await Promise.all([rendersUsingCameo(ctx.db, cameo.id), cameoLinksByRender(ctx.db, cameo.id)]);
    return rows.map((r) => ({
      id: r.id,
      prompt: r.prompt,
      status: r.status,
      byMe: r.requesterId === cameo.ownerId,
      how: links.get(r.id) ?? [],
      requestedAt: r.requestedAt,
      releasedAt: r.releasedAt,
      takenDownAt: r.takenDownAt,
      removable: r.status === "released" || r.status === "held",
    }));
  }),

  /** The owner takes down one render that used their cameo. */
  removeRender: creatorProcedure.input(handleInput.extend({ renderId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const cameo = await ownCameo(ctx.db, ctx.user, input.handle);
    if (!(await isRenderLinkedToCameo(ctx.db, cameo.id, input.renderId))) throw notFound("render");
    const render = await takeDown(ctx.db, input.renderId, actorOf(ctx.user), `removed by the owner of cameo @${cameo.handle}`);
    return { id: render.id, status: render.status, takenDownAt: render.takenDownAt };
  }),
});
