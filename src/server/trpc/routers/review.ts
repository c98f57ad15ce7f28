/** The review workspace: one item's evidence, claims on it, and the decision. Thin: the work is in moderation/. */
import { z } from "zod";
import { getGateRuntime } from "../../gate/production-runtime";
import { decide } from "../../moderation/decide";
import { neighbours, reviewDetail } from "../../moderation/detail";
import { claim, claimNext, releaseClaim, renew } from "../../moderation/leases";
import { DSA_CATEGORIES, EEA_COUNTRIES, REASON_CODES } from "../../moderation/reason-codes";
import { revealMedia } from "../../moderation/withhold";
import { moderatorProcedure, router } from "../init";

const id = z.object({ id: z.uuid() });
const lease = z.number().int().min(1).max(120).optional();

const statementOfReasons = z
  .object({
    decisionGround: z.enum(["illegal_content", "incompatible_with_terms"]),
    legalGround: z.string().max(500),
    incompatibleClause: z.string().max(500),
    facts: z.string().max(5000),
    automatedDetection: z.boolean(),
    automatedDecision: z.enum(["fully", "partially", "not_automated"]),
    territorialScope: z.array(z.string().length(2)).max(40),
    category: z.enum(DSA_CATEGORIES),
  })
  .partial();

const nextFilters = z.object({
  queue: z.enum(["standard", "senior"]).default("standard"),
  reason: z.string().max(64).optional(),
  category: z.string().max(64).optional(),
  stage: z.string().max(64).optional(),
  kind: z.enum(["gate_hold", "takedown_notice", "counter_notice"]).optional(),
  olderThanHours: z.number().positive().max(24 * 365).optional(),
  skip: z.array(z.uuid()).max(100).optional(),
});

export const reviewRouter = router({
  detail: moderatorProcedure.input(id).query(async ({ ctx, input }) => {
      const [detail, around] = await Promise.all([reviewDetail(ctx.db, input.id, ctx.user), neighbours(ctx.db, input.id)]);
      return { ...detail, around, mine: detail.item.state === "claimed" && detail.item.assigneeId === ctx.user.id && detail.leaseLive };
    },
  ),
  /** The fixed policy list for the decide panel. */
  reasonCodes: moderatorProcedure.query(() => ({
    codes: REASON_CODES.filter((r) => !r.internal),
    dsaCategories: [...DSA_CATEGORIES],
    countries: [...EEA_COUNTRIES],
  })),
  /** Shows a withheld render's media to this moderator for a while: a reason is required and audited. */
  reveal: moderatorProcedure
    .input(id.extend({ reason: z.string().max(1000) }))
    .mutation(async ({ ctx, input }) => {
        const r = await revealMedia(ctx.db, ctx.user, input.id, input.reason);
        return { renderId: r.renderId, until: r.until };
      },
    ),
  claim: moderatorProcedure.input(id.extend({ leaseMinutes: lease })).mutation(({ ctx, input }) => claim(ctx.db, ctx.user, input.id, input.leaseMinutes)),
  renew: moderatorProcedure.input(id.extend({ leaseMinutes: lease })).mutation(({ ctx, input }) => renew(ctx.db, ctx.user, input.id, input.leaseMinutes)),
  release: moderatorProcedure.input(id).mutation(({ ctx, input }) => releaseClaim(ctx.db, ctx.user, input.id)),
  /** Claims the next item (or returns the one you hold). Null when the queue is empty. */
  next: moderatorProcedure.input(nextFilters).mutation(async ({ ctx, input }) => {
      const item = await claimNext(ctx.db, ctx.user, input);
      return item ? { id: item.id } : null;
    },
  ),
  decide: moderatorProcedure
    .input(
      id.extend({
        action: z.enum(["approve", "remove", "escalate"]),
        reasonCode: z.string().min(1).max(64),
        statement: z.string().max(5000),
        statementOfReasons: statementOfReasons.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
        const { id: itemId, ...decision } = input;
        return decide(ctx.db, getGateRuntime(ctx.db), ctx.user, itemId, decision);
      },
    ),
});
