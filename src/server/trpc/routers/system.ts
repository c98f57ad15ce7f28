import { SIMILARITY_USE_LABELS, SIMILARITY_USES, clipThresholds } from "../../ml/clip/thresholds";
import { clipModelId } from "../../ml/clip/load";
import { inferenceStatus } from "../../ml/inference";
import { checkModels } from "../../ml/registry";
import { adminProcedure, router } from "../init";

export const systemRouter = router({
  /** Every model in the manifest checked against its SHA-256: a missing or wrong one fails its stage closed. */
  models: adminProcedure.query(() => checkModels()),
  /** Where models run (this process or an inference server) and whether they can run now. */
  inference: adminProcedure.query(() => inferenceStatus()),
  /** The CLIP pair in use and its calibrated threshold per similarity use (none = that use is off). */
  clipThresholds: adminProcedure.query(() => {
    const model = clipModelId();
    const calibrated = clipThresholds(model);
    return { model, uses: SIMILARITY_USES.map((use) => ({ use, label: SIMILARITY_USE_LABELS[use], calibrated: calibrated[use] ?? null })) };
  }),
});
