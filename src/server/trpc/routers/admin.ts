/** Admin workspace: people and roles, platform API keys, webhooks, known-content hash lists, the signing certificate. */
import { z } from "zod";
import { actorOf, type Actor } from "../../audit/log";
import type { Db } from "../../db/client";
import { createApiKey, listApiKeys, revokeApiKey } from "../../users/api-keys";
import { createHashList, importHashes, listHashLists, setHashListEnabled } from "../../hash-lists/service";
import { signerStatus } from "../../provenance/signer-status";
import { changeRole, listUsers } from "../../users/service";
import { forcePasswordReset, setAccountDisabled } from "../../users/accounts";
import { listWebhooks, setWebhookActive } from "../../webhooks/service";
import { decideHeldEnrollment, heldEnrollments } from "../../cameos/service";
import { addProtectedFace, listProtectedFaces, removeProtectedFace } from "../../cameos/protected-people";
import { roleEnum } from "../../db/schema";
import { API_SCOPES } from "../../users/api-key-format";
import { adminProcedure, router } from "../init";

const role = z.enum(roleEnum.enumValues);

/** A change to one row, named by its id, made as the signed-in admin. */
const byId = <T>(change: (db: Db, actor: Actor, id: string) => Promise<T>) =>
  adminProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => change(ctx.db, actorOf(ctx.user), input.id));

export const adminRouter = router({
  users: adminProcedure
    .input(z.object({ search: z.string().max(200).optional(), role: role.optional() }).optional())
    .query(({ ctx, input }) => listUsers(ctx.db, input ?? {})),

  setRole: adminProcedure
    .input(z.object({ userId: z.uuid(), role }))
    .mutation(({ ctx, input }) => changeRole(ctx.db, actorOf(ctx.user), input.userId, input.role)),

  /** Disabled accounts cannot sign in, and their open sessions end at the next request. */
  setDisabled: adminProcedure
    .input(z.object({ userId: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setAccountDisabled(ctx.db, actorOf(ctx.user), input.userId, input.disabled)),

  /** A new one-time password (returned once, to hand over) that must be changed at the next sign-in. */
  resetPassword: adminProcedure
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => forcePasswordReset(ctx.db, actorOf(ctx.user), input.userId)),

  apiKeys: router({
    list: adminProcedure.query(({ ctx }) => listApiKeys(ctx.db)),
    /** The response carries the key itself: the only time it is ever shown. */
    create: adminProcedure
      .input(z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(API_SCOPES)).min(1) }))
      .mutation(({ ctx, input }) => createApiKey(ctx.db, actorOf(ctx.user), { name: input.name, scopes: [...new Set(input.scopes)] })),
    revoke: byId(revokeApiKey),
    scopes: adminProcedure.query(() => [...API_SCOPES]),
  }),

  /** Cameo enrollments held because the face was estimated under 18 (an estimate: a person decides). */
  heldEnrollments: router({
    list: adminProcedure.query(async ({ ctx }) =>
      (await heldEnrollments(ctx.db)).map((c) => ({ id: c.id, handle: c.handle, ownerId: c.ownerId, apparentAge: (c.enrollmentReport ?? {})["apparentAge"] ?? null, updatedAt: c.updatedAt })),
    ),
    decide: adminProcedure
      .input(z.object({ handle: z.string().min(1).max(41), decision: z.enum(["release", "reject"]), note: z.string().trim().min(1).max(500) }))
      .mutation(async ({ ctx, input }) => {
        const c = await decideHeldEnrollment(ctx.db, actorOf(ctx.user), input.handle, input.decision, input.note);
        return { handle: c.handle, status: c.status };
      }),
  }),

  /** The protected-people gallery: faces no one may generate (public figures, people who asked not to be). */
  protectedFaces: router({
    list: adminProcedure.query(({ ctx }) => listProtectedFaces(ctx.db)),
    add: adminProcedure
      .input(z.object({ name: z.string().trim().min(1).max(200), reason: z.string().trim().min(1).max(200), photo: z.instanceof(Uint8Array) }))
      .mutation(({ ctx, input }) => addProtectedFace(ctx.db, actorOf(ctx.user), input)),
    remove: byId(removeProtectedFace),
  }),

  webhooks: router({
    list: adminProcedure.query(({ ctx }) => listWebhooks(ctx.db)),
    setActive: adminProcedure
      .input(z.object({ id: z.uuid(), active: z.boolean() }))
      .mutation(({ ctx, input }) => setWebhookActive(ctx.db, actorOf(ctx.user), input.id, input.active)),
  }),

  hashLists: router({
    list: adminProcedure.query(({ ctx }) => listHashLists(ctx.db)),
    create: adminProcedure
      .input(
        z.object({
          name: z.string().trim().min(1).max(100),
          category: z.string().trim().min(1).max(64),
          action: z.enum(["block", "review"]),
          source: z.string().trim().max(300).default(""),
          maxDistance: z.number().int().min(0).max(64).optional(),
          matchTransforms: z.boolean().optional(),
        }),
      )
      .mutation(({ ctx, input }) => createHashList(ctx.db, actorOf(ctx.user), input)),
    /** Up to ~16 MB of text: 200,000 hashes with labels. */
    import: adminProcedure
      .input(z.object({ id: z.uuid(), text: z.string().min(1).max(16 * 1024 * 1024) }))
      .mutation(({ ctx, input }) => importHashes(ctx.db, actorOf(ctx.user), input.id, input.text)),
    setEnabled: adminProcedure
      .input(z.object({ id: z.uuid(), enabled: z.boolean() }))
      .mutation(({ ctx, input }) => setHashListEnabled(ctx.db, actorOf(ctx.user), input.id, input.enabled)),
  }),

  signer: adminProcedure.query(() => signerStatus()),
});
