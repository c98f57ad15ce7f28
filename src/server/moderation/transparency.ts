/**
 * Statements of reasons in the shape of the EU DSA Transparency Database submission API
 * (POST https://transparency.dsa.ec.europa.eu/api/v1/statement), one JSON object per line.
 *
 * Mapping from Clearance's stored StatementOfReasons (moderation_decisions.statement_of_reasons):
 *   decision_visibility      released render taken down (a notice)   → DECISION_VISIBILITY_CONTENT_REMOVED
 *                            held render blocked before publication   → DECISION_VISIBILITY_CONTENT_DISABLED
 *   decision_ground          illegal_content → DECISION_GROUND_ILLEGAL_CONTENT,
 *                            incompatible_with_terms → DECISION_GROUND_INCOMPATIBLE_CONTENT
 *   illegal_content_legal_ground / illegal_content_explanation       ← legalGround / facts (illegal only)
 *   incompatible_content_ground / incompatible_content_explanation   ← incompatibleClause / facts (terms only);
 *   incompatible_content_illegal = "No" (a terms removal makes no finding of illegality)
 *   category                 ← category (already a STATEMENT_CATEGORY_* value)
 *   content_type             CONTENT_TYPE_SYNTHETIC_MEDIA plus VIDEO / IMAGE from the output's MIME type, or
 *                            TEXT when the render never had output (a refused prompt)
 *   content_date             render requested (YYYY-MM-DD); application_date: decision date (YYYY-MM-DD)
 *   territorial_scope        ← territorialScope (ISO 3166-1 alpha-2, EEA)
 *   decision_facts           ← facts
 *   source_type              a takedown notice → SOURCE_ARTICLE_16; a gate hold → SOURCE_VOLUNTARY
 *   automated_detection      ← automatedDetection ("Yes" / "No")
 *   automated_decision       fully / partially / not_automated → AUTOMATED_DECISION_FULLY / _PARTIALLY / _NOT_AUTOMATED
 *   account_type             ACCOUNT_TYPE_PRIVATE (creators are individuals on the platform)
 *   puid                     "clearance-decision-<decision id>": unique per statement, never reused
 * Notifier identity (source_identity) is left out: the notifier is a rights holder, and the Art. 24(5)
 * database must not hold personal data.
 */
import { and, eq, gte, lt } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { mediaObjects, moderationDecisions, renders, reviewItems, type StatementOfReasons } from "../db/schema";

export interface DsaStatement {
  decision_visibility: ("DECISION_VISIBILITY_CONTENT_REMOVED" | "DECISION_VISIBILITY_CONTENT_DISABLED")[];
  decision_ground: "DECISION_GROUND_ILLEGAL_CONTENT" | "DECISION_GROUND_INCOMPATIBLE_CONTENT";
  illegal_content_legal_ground?: string;
  illegal_content_explanation?: string;
  incompatible_content_ground?: string;
  incompatible_content_explanation?: string;
  incompatible_content_illegal?: "Yes" | "No";
  category: string;
  content_type: string[];
  content_date: string;
  application_date: string;
  territorial_scope: string[];
  decision_facts: string;
  source_type: "SOURCE_ARTICLE_16" | "SOURCE_VOLUNTARY";
  automated_detection: "Yes" | "No";
  automated_decision: "AUTOMATED_DECISION_FULLY" | "AUTOMATED_DECISION_PARTIALLY" | "AUTOMATED_DECISION_NOT_AUTOMATED";
  account_type: "ACCOUNT_TYPE_PRIVATE";
  puid: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const AUTOMATED = { fully: "AUTOMATED_DECISION_FULLY", partially: "AUTOMATED_DECISION_PARTIALLY", not_automated: "AUTOMATED_DECISION_NOT_AUTOMATED" } as const;

export function toDsaStatement(input: {
  decisionId: string;
  decidedAt: Date;
  requestedAt: Date;
  sor: StatementOfReasons;
  source: "notice" | "gate";
  outputMime: string | null;
}): DsaStatement {
  const { sor } = input;
  const illegal = sor.decisionGround === "illegal_content";
  const media = input.outputMime?.startsWith("video/") ? "CONTENT_TYPE_VIDEO" : input.outputMime?.startsWith("image/") ? "CONTENT_TYPE_IMAGE" : "CONTENT_TYPE_TEXT";
  return {
    decision_visibility: [input.source === "notice" ? "DECISION_VISIBILITY_CONTENT_REMOVED" : "DECISION_VISIBILITY_CONTENT_DISABLED"],
    decision_ground: illegal ? "DECISION_GROUND_ILLEGAL_CONTENT" : "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    ...(illegal
      ? { illegal_content_legal_ground: sor.legalGround ?? "", illegal_content_explanation: sor.facts }
      : { incompatible_content_ground: sor.incompatibleClause ?? "", incompatible_content_explanation: sor.facts, incompatible_content_illegal: "No" as const }),
    category: sor.category,
    content_type: ["CONTENT_TYPE_SYNTHETIC_MEDIA", media],
    content_date: day(input.requestedAt),
    application_date: day(input.decidedAt),
    territorial_scope: [...sor.territorialScope].sort(),
    decision_facts: sor.facts,
    source_type: input.source === "notice" ? "SOURCE_ARTICLE_16" : "SOURCE_VOLUNTARY",
    automated_detection: sor.automatedDetection ? "Yes" : "No",
    automated_decision: AUTOMATED[sor.automatedDecision],
    account_type: "ACCOUNT_TYPE_PRIVATE",
    puid: `clearance-decision-${input.decisionId}`,
  };
}

/** Every removal decided in [from, to), oldest first, as DSA statements. */
export async function exportStatementsOfReasons(db: DbOrTx, range: { from: Date; to: Date }): Promise<DsaStatement[]> {
  const rows = await db
    .select({
      id: moderationDecisions.id,
      createdAt: moderationDecisions.createdAt,
      sor: moderationDecisions.statementOfReasons,
      requestedAt: renders.requestedAt,
      kind: reviewItems.kind,
      outputMime: mediaObjects.mimeType,
    })
    .from(moderationDecisions)
    .innerJoin(renders, eq(renders.id, moderationDecisions.renderId))
    .leftJoin(reviewItems, eq(reviewItems.id, moderationDecisions.reviewItemId))
    .leftJoin(mediaObjects, eq(mediaObjects.id, renders.outputMediaId))
    .where(and(eq(moderationDecisions.action, "remove"), gte(moderationDecisions.createdAt, range.from), lt(moderationDecisions.createdAt, range.to)))
    .orderBy(moderationDecisions.createdAt, moderationDecisions.id);
  return rows.flatMap((r) =>
    r.sor
      ? [toDsaStatement({ decisionId: r.id, decidedAt: r.createdAt, requestedAt: r.requestedAt, sor: r.sor, source: r.kind === "takedown_notice" ? "notice" : "gate", outputMime: r.outputMime })]
      : [],
  );
}

/** JSON Lines, one statement per line: what the admin downloads. */
export const toJsonLines = (statements: readonly DsaStatement[]) => statements.map((s) => JSON.stringify(s)).join("\n") + (statements.length ? "\n" : "");
