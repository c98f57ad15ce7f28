import { env } from "../../env";
import { DemoEngine } from "./demo";
import { HttpEngine } from "./http";
import type { RenderEngine } from "./types";

export type { RenderEngine } from "./types";

/** The engine named by configuration: the demo engine by default, a real one over HTTP when configured. */
export function configuredEngine(): RenderEngine {
  const settings = env();
  if (settings.CLEARANCE_ENGINE === "http") {
    const url = settings.CLEARANCE_ENGINE_URL;
    if (!url) throw new Error("CLEARANCE_ENGINE=http needs CLEARANCE_ENGINE_URL");
    return new HttpEngine(url, { maxBytes: env().CLEARANCE_MAX_MEDIA_BYTES });
  }
  return new DemoEngine();
}
