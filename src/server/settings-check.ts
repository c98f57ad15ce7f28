/**
 * Every setting checked at once, where a process starts (the web server's instrumentation, `npm run worker`,
 * the inference server): src/env.ts declares and types them all; the groups whose rules live with their module
 * (inference, Verify admission, sessions, rate limits) are parsed here by those same rules, so a
 * bad value stops the start with its message instead of failing the first request that reads it.
 */
import { env, settingsSource } from "@/env";
import { authSettings } from "./auth/auth-settings";
import { apiRateLimits } from "./http/rate-limit";
import { DEFAULT_CLIP_MODEL } from "./ml/clip/load";
import { inferenceConfigFromEnv } from "./ml/inference/config";
import { admissionConfigFromEnv } from "./verify/admission";

export function checkSettings(): void {
  const settings = env();
  const source = settingsSource();
  inferenceConfigFromEnv(source);
  admissionConfigFromEnv(source);
  authSettings(source);
  apiRateLimits(source);
  if (settings.NODE_ENV === "production" && settings.CLEARANCE_CLIP_MODEL === undefined) {
    throw new Error(
      `CLEARANCE_CLIP_MODEL is unset under NODE_ENV=production: the built-in ${DEFAULT_CLIP_MODEL} model only tells colours and layouts ` +
        "apart. Set CLEARANCE_CLIP_MODEL=clip-vit-b32 with its weights in place (models/README.md), or =clip-demo explicitly for a throwaway server.",
    );
  }
}
