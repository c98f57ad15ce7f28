/**
 * The prompt gate's CLIP text-tower signal: the prompt and each category's concept prompts are embedded by the
 * same text tower the frame classifiers use, and a category's similarity is the best cosine over its concepts.
 * Concept embeddings go through the model's concept cache (embedded once per model); the prompt is embedded
 * once per request.
 */
import { dot, type CalibratedThreshold, type ClipModel } from "../../ml/clip";
import type { ConceptSimilarity, PolicyCategory, PromptSimilarity } from "./types";

/** Concept embeddings depend on the text alone, not on the policy version: one cache slot per model. */
const CONCEPT_CACHE_SLOT = "prompt-concepts";

export class ClipPromptSimilarity implements PromptSimilarity {
  readonly name = "clip_text";

  constructor(
    private readonly getClip: () => Promise<ClipModel>,
    /** The CLIP model id, known before loading, so the decision's version names the model. */
    private readonly modelId: string,
  ) {}

  get version(): string {
    return `clip-text/${this.modelId}`;
  }

  async calibration(): Promise<CalibratedThreshold | undefined> {
    return (await this.getClip()).thresholds.textToText;
  }

  async similarity(prompt: string, categories: readonly PolicyCategory[]): Promise<Record<string, ConceptSimilarity>> {
    const clip = await this.getClip();
    const [promptEmbedding] = await clip.embedTexts([prompt]);
    if (!promptEmbedding) throw new Error(`${clip.id}: the text tower returned no embedding for the prompt`);
    const out: Record<string, ConceptSimilarity> = {};
    for (const c of categories) {
      const concepts = await clip.conceptEmbeddings(CONCEPT_CACHE_SLOT, c.prompts);
      let best: ConceptSimilarity = { score: -1, concept: c.prompts[0] ?? "" };
      concepts.forEach((embedding, i) => {
        // A prompt with nothing the model can represent embeds as zeros: cosine 0, never NaN.
        const score = dot(promptEmbedding, embedding) || 0;
        if (score > best.score) best = { score, concept: c.prompts[i] ?? "" };
      });
      out[c.key] = best;
    }
    return out;
  }
}
