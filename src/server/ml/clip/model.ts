/**
 * A CLIP model as two ONNX towers behind the inference seam:
 *   image tower [N, 3, S, S] float → [N, D];  text tower [N, 77] int32/int64 ids → [N, D].
 * Embeddings come back L2-normalised. Concept (prompt) embeddings are cached per
 * (model id, policy version, prompt text), so a policy's prompts are embedded once per version.
 */
import { defaultInferenceBackend } from "../inference/config";
import { runBatched } from "../inference/batch";
import type { InferenceBackend, InferenceSession, IoInfo, LoadOptions, Tensor } from "../inference/types";
import { CLIP_IMAGE_SIZE, type RgbImage, clipPreprocess } from "./preprocess";
import { l2Normalize } from "./similarity";
import type { ClipThresholds } from "./thresholds";
import { ClipTokenizer, EOT_TOKEN } from "./tokenizer";
import { type ConceptCategory, type ZeroShotOptions, type ZeroShotResult, scoreConcepts } from "./zero-shot";

/** Small LRU of prompt embeddings. */
export class ConceptCache {
  private readonly map = new Map<string, Float32Array>();
  constructor(readonly maxEntries = 10_000) {}
  private static key = (modelId: string, policyVersion: string, text: string) => `${modelId}\u0000${policyVersion}\u0000${text}`;
  get(modelId: string, policyVersion: string, text: string): Float32Array | undefined {
    const k = ConceptCache.key(modelId, policyVersion, text);
    const v = this.map.get(k);
    if (v) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(modelId: string, policyVersion: string, text: string, v: Float32Array): void {
    const k = ConceptCache.key(modelId, policyVersion, text);
    this.map.delete(k);
    this.map.set(k, v);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
}

/** Shared across ClipModel instances; keys carry the model id. */
export const sharedConceptCache = new ConceptCache();

export interface ClipModelSource {
  /** Stable id of the pair (e.g. the registry id); part of the cache key. */
  id: string;
  image: string | Uint8Array;
  text: string | Uint8Array;
  /** The pair's calibrated similarity thresholds (from its manifest entries); none = uncalibrated. */
  thresholds?: ClipThresholds;
}

export interface ClipModelOptions {
  backend?: InferenceBackend;
  load?: LoadOptions;
  /** Frames per image-tower call (default 16). */
  maxBatch?: number;
  cache?: ConceptCache;
}

const pickOutput = (outputs: readonly IoInfo[], preferred: readonly string[]): string => {
  const byName = outputs.find((o) => preferred.includes(o.name));
  const name = (byName ?? outputs[0])?.name;
  if (!name) throw new Error("model has no outputs");
  return name;
};

export class ClipModel {
  readonly tokenizer: ClipTokenizer;
  readonly imageSize: number;
  private readonly imageInput: string;
  private readonly imageOutput: string;
  private readonly textInput: IoInfo;
  private readonly textMask: IoInfo | undefined;
  private readonly textOutput: string;
  private readonly cache: ConceptCache;
  private readonly maxBatch: number;

  private constructor(
    readonly id: string,
    private readonly image: InferenceSession,
    private readonly text: InferenceSession,
    opts: ClipModelOptions,
    /** Calibrated thresholds per similarity use; a use without one is not used for decisions. */
    readonly thresholds: ClipThresholds,
  ) {
    const imgIn = image.inputs[0];
    if (!imgIn) throw new Error(`${id}: image tower has no input`);
    this.imageInput = imgIn.name;
    const s = imgIn.shape[2];
    this.imageSize = typeof s === "number" ? s : CLIP_IMAGE_SIZE;
    this.imageOutput = pickOutput(image.outputs, ["image_embeds", "embeddings", "image_features"]);

    const ids = text.inputs.find((i) => i.name.includes("input_ids")) ?? text.inputs[0];
    if (!ids || (ids.type !== "int32" && ids.type !== "int64")) throw new Error(`${id}: text tower needs an int32/int64 token-id input`);
    this.textInput = ids;
    this.textMask = text.inputs.find((i) => i.name.includes("attention_mask"));
    const ctx = ids.shape[1];
    this.tokenizer = new ClipTokenizer(typeof ctx === "number" ? ctx : undefined);
    this.textOutput = pickOutput(text.outputs, ["text_embeds", "embeddings", "text_features"]);
    this.cache = opts.cache ?? sharedConceptCache;
    this.maxBatch = opts.maxBatch ?? 16;
  }

  static async load(src: ClipModelSource, opts: ClipModelOptions = {}): Promise<ClipModel> {
    const backend = opts.backend ?? defaultInferenceBackend();
    const [image, text] = await Promise.all([
      backend.load(src.image, { ...opts.load, label: `${src.id}/image` }),
      backend.load(src.text, { ...opts.load, label: `${src.id}/text` }),
    ]);
    return new ClipModel(src.id, image, text, opts, src.thresholds ?? {});
  }

  get provider(): string {
    return this.image.provider;
  }

  /** CLIP preprocessing then the image tower; one normalised embedding per image. */
  embedImages(images: readonly RgbImage[]): Promise<Float32Array[]> {
    return this.embedPreprocessed(images.map((img) => clipPreprocess(img, this.imageSize)));
  }

  /** Image tower on already preprocessed CHW tensors. */
  async embedPreprocessed(chw: readonly Float32Array[]): Promise<Float32Array[]> {
    const rows = await runBatched(this.image, {
      items: chw,
      itemDims: [3, this.imageSize, this.imageSize],
      inputName: this.imageInput,
      outputName: this.imageOutput,
      maxBatch: this.maxBatch,
    });
    return rows.map(l2Normalize);
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const { ids, dims } = this.tokenizer.tokenizeBatch(texts);
    const feeds: Record<string, Tensor> = {
      [this.textInput.name]: { data: this.textInput.type === "int64" ? BigInt64Array.from(ids, (v) => BigInt(v)) : ids, dims },
    };
    if (this.textMask) {
      // Attend up to and including the end token of each row.
      const mask = new Int32Array(ids.length);
      for (let r = 0; r < dims[0]; r++) {
        for (let c = 0; c < dims[1]; c++) {
          mask[r * dims[1] + c] = 1;
          if (ids[r * dims[1] + c] === EOT_TOKEN) break;
        }
      }
      feeds[this.textMask.name] = { data: this.textMask.type === "int64" ? BigInt64Array.from(mask, (v) => BigInt(v)) : mask, dims };
    }
    const out = (await this.text.run(feeds))[this.textOutput];
    if (!out || !(out.data instanceof Float32Array)) throw new Error(`${this.id}: text tower output ${this.textOutput} missing or not float32`);
    const d = out.dims[1] ?? 0;
    return texts.map((_, i) => l2Normalize((out.data as Float32Array).subarray(i * d, (i + 1) * d)));
  }

  /** Prompt embeddings through the concept cache; only the missing ones reach the text tower. */
  async conceptEmbeddings(policyVersion: string, prompts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(prompts.filter((p) => !this.cache.get(this.id, policyVersion, p)))];
    if (missing.length > 0) {
      const embs = await this.embedTexts(missing);
      missing.forEach((p, i) => this.cache.set(this.id, policyVersion, p, embs[i] as Float32Array));
    }
    return prompts.map((p) => {
      const v = this.cache.get(this.id, policyVersion, p);
      if (!v) throw new Error(`concept cache lost ${p}`);
      return v;
    });
  }

  /** Zero-shot scores of frame embeddings (from `embedImages`) for a policy's categories. */
  async scoreFrames(
    frameEmbeddings: readonly Float32Array[],
    categories: readonly ConceptCategory[],
    opts: ZeroShotOptions & { policyVersion: string },
  ): Promise<ZeroShotResult> {
    const embedded = await Promise.all(
      categories.map(async (c) => ({ ...c, promptEmbeddings: await this.conceptEmbeddings(opts.policyVersion, c.prompts) })),
    );
    return scoreConcepts(frameEmbeddings, embedded, opts);
  }

  /** Frames → embeddings → zero-shot scores in one call. */
  async classifyImages(images: readonly RgbImage[], categories: readonly ConceptCategory[], opts: ZeroShotOptions & { policyVersion: string }): Promise<ZeroShotResult & { embeddings: Float32Array[] }> {
    const embeddings = await this.embedImages(images);
    return { ...(await this.scoreFrames(embeddings, categories, opts)), embeddings };
  }

  async release(): Promise<void> {
    await Promise.all([this.image.release(), this.text.release()]);
  }
}
