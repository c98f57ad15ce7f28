import { inferenceStatus } from "../../ml/inference";
import { checkModels } from "../../ml/registry";
import { adminProcedure, router } from "../init";

export const systemRouter = router({
  /** Every model in the manifest checked against its SHA-256: a missing or wrong one fails its stage closed. */
  models: adminProcedure.query(() => checkModels()),
  /** Where models run (this process or an inference server) and whether they can run now. */
  inference: adminProcedure.query(() => inferenceStatus()),
});
