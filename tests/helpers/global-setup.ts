/** Runs once before the whole suite: builds missing models and the database template every test file clones. */
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { prepareTemplate } from "./db";

export default async function setup(): Promise<void> {
  await ensureModelsBuilt({ log: () => {} });
  await prepareTemplate();
}
