/** Classifier categories and thresholds. Every edit records a new policy version, whose id comes back. */
import { z } from "zod";
import { actorOf } from "../../audit/log";
import { currentPolicyVersion, listCategories, listPolicyVersions, updateCategory } from "../../policy/service";
import { adminProcedure, router } from "../init";

const score = z.number().min(0).max(1);
const phrases = z.array(z.string().trim().min(1).max(200)).max(100);
/** BCP-47 language tag (as the editor offers them: "en", "zh-Hans", "pt-BR"…, "und" for unstated). */
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Use a language tag such as en, zh-Hans or pt-BR.");
const termsByLanguage = z.record(languageTag, phrases).refine((t) => Object.keys(t).length <= 40, "At most 40 languages per category.");

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
            terms: termsByLanguage,
            prompts: phrases,
          })
          .partial(),
      }),
    )
    .mutation(({ ctx, input }) => updateCategory(ctx.db, actorOf(ctx.user), input.key, input.patch)),
});
