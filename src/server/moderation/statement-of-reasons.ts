/**
 * The DSA Art. 17 statement of reasons stored with every removal: the moderator's fields, completed from the
 * reason code's defaults and what the gate did, then checked. Pure.
 */
import type { StatementOfReasons } from "../db/schema";
import { invalid } from "../errors";
import { DEFAULT_REDRESS, DSA_CATEGORIES, EEA_COUNTRIES, reasonCode } from "./reason-codes";

export type StatementOfReasonsInput = Partial<Omit<StatementOfReasons, "redress">>;

export interface SorContext {
  /** How the item reached a moderator: the gate flagged it (automated detection) or a notice was filed. */
  kind: "gate_hold" | "takedown_notice" | "counter_notice";
  statement: string;
}

/** Prefill for the decide panel and the defaults the service applies. */
export function defaultStatementOfReasons(code: string, ctx: SorContext): StatementOfReasons {
  const dsa = reasonCode(code)?.dsa;
  const automated = ctx.kind === "gate_hold";
  return {
    decisionGround: dsa?.decisionGround ?? "incompatible_with_terms",
    legalGround: dsa?.legalGround,
    incompatibleClause: dsa?.incompatibleClause,
    facts: ctx.statement,
    automatedDetection: automated,
    // A person decided; automation flagged it (gate) or did not take part (notice).
    automatedDecision: automated ? "partially" : "not_automated",
    territorialScope: [...EEA_COUNTRIES],
    redress: [...DEFAULT_REDRESS],
    category: dsa?.category ?? "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
  };
}

const clean = (s: string | undefined) => (s ?? "").trim();

export function completeStatementOfReasons(code: string, ctx: SorContext, input: StatementOfReasonsInput = {}): StatementOfReasons {
  const base = defaultStatementOfReasons(code, ctx);
  const sor: StatementOfReasons = {
    decisionGround: input.decisionGround ?? base.decisionGround,
    legalGround: clean(input.legalGround ?? base.legalGround) || undefined,
    incompatibleClause: clean(input.incompatibleClause ?? base.incompatibleClause) || undefined,
    facts: clean(input.facts) || base.facts.trim(),
    automatedDetection: input.automatedDetection ?? base.automatedDetection,
    automatedDecision: input.automatedDecision ?? base.automatedDecision,
    territorialScope: [...new Set((input.territorialScope ?? base.territorialScope).map((c) => c.trim().toUpperCase()))],
    redress: base.redress,
    category: input.category ?? base.category,
  };
  if (sor.decisionGround === "illegal_content") {
    if (!sor.legalGround) throw invalid("A removal for illegal content names the legal ground it relies on.");
    sor.incompatibleClause = undefined;
  } else {
    if (!sor.incompatibleClause) throw invalid("A removal under the terms names the clause the content breaks.");
    sor.legalGround = undefined;
  }
  if (!sor.facts) throw invalid("A statement of reasons states the facts and circumstances relied on.");
  if (sor.facts.length > 5000) throw invalid("The facts may be at most 5,000 characters.");
  if (sor.territorialScope.length === 0) throw invalid("Name at least one country in the territorial scope.");
  const eea = new Set<string>(EEA_COUNTRIES);
  const outside = sor.territorialScope.filter((c) => !eea.has(c));
  if (outside.length > 0) throw invalid(`Territorial scope must be EEA country codes (not ${outside.join(", ")}).`);
  if (!(DSA_CATEGORIES as readonly string[]).includes(sor.category)) throw invalid(`Unknown DSA category ${sor.category}.`);
  return sor;
}

