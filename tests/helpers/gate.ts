/**
 * A render through the production gate as a platform would send it: request (pre-render gate), then the demo
 * engine's output (or the given media) and the post-render gate. Returns the render, the pre-render decision
 * and the status it ended in.
 */
import { SYSTEM } from "@/server/audit/log";
import type { Db } from "@/server/db/client";
import { DemoEngine } from "@/server/engine/demo";
import type { EngineOutput } from "@/server/engine/types";
import { runPostGate } from "@/server/gate/post-gate";
import { requestRender, submitOutput } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";

export async function renderThrough(db: Db, prompt: string, requesterId: string, output?: EngineOutput) {
  const runtime = getGateRuntime(db);
  const { render, decision } = await requestRender(db, runtime, { prompt, requesterId, engine: "demo" }, SYSTEM);
  if (render.status !== "approved") return { render, decision, final: render.status };
  await submitOutput(db, render.id, output ?? (await new DemoEngine().generate({ renderId: render.id, prompt })), { label: "engine:test" });
  return { render, decision, final: await runPostGate(db, runtime, render.id) };
}
