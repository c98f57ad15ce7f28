/**
 * The pre-render IP stage: names of registered works in the prompt. The rights holder's policy decides:
 * block, review, or allow (the match is still recorded, so the decision shows it was seen).
 */
import { reasonMessage } from "../reason-codes";
import { combineVerdicts, type Reason, type Stage, type StageResult, type Verdict } from "../types";
import type { WorkMatch, WorkMatcher } from "../../works/matcher";
import type { IpTextEvidence } from "./ip-text.evidence";

export interface IpTextStageDeps {
  /** The current matcher; the caller caches it and rebuilds it when works change. */
  getMatcher: () => Promise<WorkMatcher>;
}

const VERDICT_FOR_POLICY: Record<WorkMatch["policy"], Verdict> = { block: "block", review: "review", allow: "allow" };

export function ipTextResult(matches: readonly WorkMatch[], version: string): StageResult {
  const reasons: Reason[] = matches.map((m) => ({
    code: "ip_work_match",
    message: reasonMessage("ip_work_match", { work: m.workTitle, policy: m.policy }),
    category: "ip",
    score: m.policy === "allow" ? 0 : 1,
  }));
  const verdict = combineVerdicts(matches.map((m) => VERDICT_FOR_POLICY[m.policy]));
  return {
    verdict,
    reasons,
    score: verdict === "allow" ? 0 : 1,
    evidence: { matches: matches.map((m) => ({ ...m })) } satisfies IpTextEvidence,
    version,
  };
}

export function createIpTextStage(deps: IpTextStageDeps): Stage {
  return {
    name: "ip_text",
    phase: "pre",
    async run(ctx) {
      const matcher = await deps.getMatcher();
      return ipTextResult(matcher.match(ctx.render.prompt), matcher.version);
    },
  };
}
