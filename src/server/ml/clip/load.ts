/**
 * The CLIP pair the classifiers and IP image matching use, loaded only after both towers pass their
 * manifest checksums. Which pair is configuration: the real ViT-B/32 export in production
 * (CLEARANCE_CLIP_MODEL=clip-vit-b32), the small colour-axis demo pair built by `npm run models:build`
 * in development.
 */
import { env } from "@/env";
import { readVerifiedModel } from "../registry/load";
import { ClipModel } from "./model";
import { clipThresholds } from "./thresholds";

export const DEFAULT_CLIP_MODEL = "clip-demo";

const cache = new Map<string, Promise<ClipModel>>();

const verifiedBytes = async (id: string) => (await readVerifiedModel(id)).bytes;

export function clipModelId(): string {
  return env().CLEARANCE_CLIP_MODEL ?? DEFAULT_CLIP_MODEL;
}

/** Loads (once) and returns the configured CLIP pair; a failed load is retried on the next call. */
export function loadClip(id = clipModelId()): Promise<ClipModel> {
  let model = cache.get(id);
  if (!model) {
    model = (async () => {
      const [image, text] = await Promise.all([verifiedBytes(`${id}-image`), verifiedBytes(`${id}-text`)]);
      return ClipModel.load({ id, image, text, thresholds: clipThresholds(id) });
    })();
    cache.set(id, model);
    model.catch(() => cache.delete(id));
  }
  return model;
}
