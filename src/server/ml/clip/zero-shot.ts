/**
 * Zero-shot concept scoring over sampled frames.
 *
 * Default ("cosine"): score(frame, category) = max cosine between the frame and the category's prompts;
 * the video's score = max over frames. A category's score then depends only on its own prompts, so a
 * threshold an admin tuned keeps its meaning when other categories are added to the policy.
 * Optional ("softmax"): CLIP's zero-shot classifier — logits = logitScale · cosine over every prompt of
 * every category, softmax per frame, category probability = sum over its prompts. Scores are relative
 * to the other categories (add a neutral category such as "an ordinary photo" for a baseline).
 */
import { dot } from "./similarity";

export interface ConceptCategory {
  key: string;
  prompts: readonly string[];
  /** Flag when the video-level score is ≥ this. */
  threshold: number;
}

export interface EmbeddedCategory extends ConceptCategory {
  /** L2-normalised text embeddings, one per prompt. */
  promptEmbeddings: readonly Float32Array[];
}

export interface ZeroShotOptions {
  mode?: "cosine" | "softmax";
  /** CLIP's learned temperature is 100 (exp(4.6052)). */
  logitScale?: number;
  /** Frames reported per category. */
  topFrames?: number;
}

export interface FrameScore {
  frameIndex: number;
  score: number;
}

export interface CategoryResult {
  key: string;
  score: number;
  threshold: number;
  flagged: boolean;
  /** Prompt that gave the best frame its score. */
  bestPrompt: string | null;
  topFrames: FrameScore[];
  /** Score of every frame, in frame order. */
  perFrame: number[];
}

export interface ZeroShotResult {
  mode: "cosine" | "softmax";
  categories: CategoryResult[];
  flagged: string[];
}

/** Frames and prompt embeddings must be L2-normalised, so a dot product is the cosine. */
export function scoreConcepts(frames: readonly Float32Array[], categories: readonly EmbeddedCategory[], opts: ZeroShotOptions = {}): ZeroShotResult {
  const mode = opts.mode ?? "cosine";
  const logitScale = opts.logitScale ?? 100;
  const topN = opts.topFrames ?? 3;
  for (const c of categories) {
    if (c.prompts.length === 0 || c.prompts.length !== c.promptEmbeddings.length) throw new Error(`category ${c.key}: needs one embedding per prompt`);
  }

  // cos[f][c][p]
  const cos = frames.map((fr) => categories.map((c) => c.promptEmbeddings.map((p) => dot(fr, p))));
  const perFrame: { score: number; prompt: number }[][] = cos.map((byCat) => {
    if (mode === "cosine") {
      return byCat.map((ps) => ps.reduce((best, s, i) => (s > best.score ? { score: s, prompt: i } : best), { score: -Infinity, prompt: -1 }));
    }
    const logits = byCat.flat().map((s) => s * logitScale);
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const z = exps.reduce((a, b) => a + b, 0);
    let k = 0;
    return byCat.map((ps) => {
      let sum = 0;
      let best = { p: -1, v: -Infinity };
      ps.forEach((_, i) => {
        const pr = (exps[k++] as number) / z;
        sum += pr;
        if (pr > best.v) best = { p: i, v: pr };
      });
      return { score: sum, prompt: best.p };
    });
  });

  const results = categories.map((c, ci): CategoryResult => {
    const scores = perFrame.map((pf) => pf[ci] as { score: number; prompt: number });
    const order = scores.map((s, i) => ({ frameIndex: i, score: s.score })).sort((a, b) => b.score - a.score || a.frameIndex - b.frameIndex);
    const best = order[0];
    const score = best ? best.score : 0;
    const bestPromptIdx = best ? (scores[best.frameIndex]?.prompt ?? -1) : -1;
    return {
      key: c.key,
      score,
      threshold: c.threshold,
      flagged: best !== undefined && score >= c.threshold,
      bestPrompt: bestPromptIdx >= 0 ? (c.prompts[bestPromptIdx] ?? null) : null,
      topFrames: order.slice(0, topN),
      perFrame: scores.map((s) => s.score),
    };
  });
  return { mode, categories: results, flagged: results.filter((r) => r.flagged).map((r) => r.key) };
}
