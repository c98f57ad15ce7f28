/**
 * Issue 10: every setting is declared in src/env.ts and checked where a process starts, so a bad value stops
 * the start with its message; production does not fall back to the demo CLIP model by itself.
 */
import { afterEach, describe, expect, it } from "vitest";
import { env, parseEnv } from "@/env";
import { checkSettings } from "@/server/settings-check";

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

function withSettings(settings: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

describe("settings", () => {
  it("types and defaults every setting, and treats an empty value as unset", () => {
    const parsed = parseEnv({ CLEARANCE_WORKER_CONCURRENCY: "4", CLEARANCE_DEMO: "1", DATABASE_URL: "" });
    expect(parsed).toMatchObject({ CLEARANCE_WORKER_CONCURRENCY: 4, CLEARANCE_DEMO: true, CLEARANCE_UNREGISTERED_FACE_POLICY: "allow", CLEARANCE_FFMPEG: "ffmpeg" });
    expect(parsed.DATABASE_URL).toBeUndefined();
    expect(() => parseEnv({ CLEARANCE_UNREGISTERED_FACE_POLICY: "maybe" })).toThrow(/CLEARANCE_UNREGISTERED_FACE_POLICY/);
  });

  it("sees a changed setting at the next read", () => {
    withSettings({ CLEARANCE_UNREGISTERED_FACE_POLICY: "review" });
    expect(env().CLEARANCE_UNREGISTERED_FACE_POLICY).toBe("review");
    withSettings({ CLEARANCE_UNREGISTERED_FACE_POLICY: undefined });
    expect(env().CLEARANCE_UNREGISTERED_FACE_POLICY).toBe("allow");
  });

  it("refuses to start with a bad value, naming it", () => {
    withSettings({ CLEARANCE_TRUSTED_PROXIES: "10.0.0.0/99" });
    expect(() => checkSettings()).toThrow(/CLEARANCE_TRUSTED_PROXIES/);
    withSettings({ CLEARANCE_TRUSTED_PROXIES: undefined, CLEARANCE_VERIFY_RATE: "0" });
    expect(() => checkSettings()).toThrow(/CLEARANCE_VERIFY_RATE/);
    withSettings({ CLEARANCE_VERIFY_RATE: undefined, CLEARANCE_INFERENCE_BACKEND: "triton" });
    expect(() => checkSettings()).toThrow(/kserve-v2/);
    withSettings({ CLEARANCE_INFERENCE_BACKEND: undefined, CLEARANCE_WORKER_CONCURRENCY: "0" });
    expect(() => checkSettings()).toThrow(/CLEARANCE_WORKER_CONCURRENCY/);
  });

  it("refuses the demo CLIP model in production unless it is named", () => {
    withSettings({ NODE_ENV: "production", CLEARANCE_CLIP_MODEL: undefined });
    expect(() => checkSettings()).toThrow(/CLEARANCE_CLIP_MODEL is unset under NODE_ENV=production/);
    withSettings({ CLEARANCE_CLIP_MODEL: "clip-demo" });
    expect(() => checkSettings()).not.toThrow();
    withSettings({ NODE_ENV: "development", CLEARANCE_CLIP_MODEL: undefined });
    expect(() => checkSettings()).not.toThrow();
  });
});
