/** A StageContext for running one stage on its own. */
import type { StageContext } from "@/server/gate/types";

export function contextFor(prompt: string, opts: { requesterId?: string; cameoHandles?: string[] } = {}): StageContext {
  return {
    render: { id: "render-1", requesterId: opts.requesterId ?? "user-requester", prompt, cameoHandles: opts.cameoHandles ?? [] },
    earlier: {},
    shared: new Map(),
    signal: new AbortController().signal,
  };
}
