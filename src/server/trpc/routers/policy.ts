/** Classifier categories and thresholds. Every edit records a new policy version, whose id comes back. */
import { z } from "zod";
import { actorOf } from "../../admin/actor";
import { asTRPC } from "../../admin/errors";
import { currentPolicyVersion, listCategories, listPolicyVersions, updateCategory } from "../../admin/policy";
import { adminProcedure, router } from "../init";

const score = z.number().min(0).max(1);
const phrases = z.array(z.string().trim().min(1).max(200)).max(100);

export const policyRouter = router({
  categories: adminProcedure.query(({ ctx }) => listCategories(ctx.db)),
  current: adminProcedure.query(({ ctx }) => currentPolicyVersion(ctx.db)),
  versions: adminProcedure.input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).optional()).query(({ ctx, input }) => listPolicyVersions(ctx.db, input?.limit)),

  updateCategory: adminProcedure
    .input(
      z.object({
        key: z.string().min(1).max(64),
        patch: z
          .object({
            label: z.string().trim().min(1).max(200),
            threshold: score,
            specialCareThreshold: score.nullable(),
            promptSimilarityThreshold: score.nullable(),
            action: z.enum(["block", "review"]),
            enabled: z.boolean(),
            priority: z.number().int().min(0).max(100),
            appliesTo: z.enum(["prompt", "frame", "both"]),
            terms: phrases,
            prompts: phrases,
          })
          .partial(),
      }),
    )
    .mutation(({ ctx, input }) => asTRPC(() => updateCategory(ctx.db, actorOf(ctx.user), input.key, input.patch))),
});
