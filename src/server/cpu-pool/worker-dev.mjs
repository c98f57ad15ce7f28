// CPU-pool worker entry when running from source (next dev, vitest, the tsx worker CLI): loads the TypeScript
// worker through tsx. Production builds use the bundle that scripts/build-cpu-worker.ts writes instead.
import { register } from "tsx/esm/api";

register();
const { default: handle } = await import("./worker.ts");
export default handle;
