/** What the ip_text stage records: every registered work's name found in the prompt, with its place. */
import { z } from "zod";
import { span } from "./evidence-parts";

export const textMatchEvidence = z.strictObject({
  workId: z.string(),
  workTitle: z.string(),
  /** The title or alias that matched, as registered. */
  alias: z.string(),
  /** The prompt's own text at [start, end). */
  matchedText: z.string(),
  ...span,
  policy: z.enum(["block", "review", "allow"]),
  technique: z.string(),
});

export const ipTextEvidence = z.strictObject({ matches: z.array(textMatchEvidence) });
export type TextMatchEvidence = z.infer<typeof textMatchEvidence>;
export type IpTextEvidence = z.infer<typeof ipTextEvidence>;
