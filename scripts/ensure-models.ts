/** Builds any model missing from models/ (fast when they are all there). Runs before `npm run dev` and `npm run build`. */
import { ensureModelsBuilt } from "../src/server/ml/convert/build-models";

ensureModelsBuilt({ log: (line) => console.log(`[models] ${line}`) }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
