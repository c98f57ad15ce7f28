/** The pre-render consent stage: looks up the named cameos through the injected provider and applies the rules. */
import type { Stage } from "../types";
import { checkCameoConsent, type CameoRecord } from "../../cameos/consent";
import { extractMentions, normaliseHandle } from "../../cameos/mentions";

export interface ConsentStageDeps {
  /** Cameo records for these handles (lowercase, no "@"); handles with no cameo are left out. */
  lookupCameos: (handles: string[]) => Promise<CameoRecord[]>;
}

/** Handles a render names: @mentions in its prompt plus the ones the platform passed explicitly. */
export function namedHandles(prompt: string, explicit: readonly string[]): string[] {
  const handles = new Set(extractMentions(prompt));
  for (const h of explicit) {
    // An explicit handle that is not even valid cannot be a cameo; keep it so it is denied, not ignored.
    handles.add(normaliseHandle(h) ?? h.replace(/^@/, "").toLowerCase());
  }
  return [...handles];
}

export function createConsentStage(deps: ConsentStageDeps): Stage {
  return {
    name: "cameo_consent",
    phase: "pre",
    async run(ctx) {
      const { prompt, requesterId, cameoHandles } = ctx.render;
      const handles = namedHandles(prompt, cameoHandles);
      const cameos = handles.length > 0 ? await deps.lookupCameos(handles) : [];
      return checkCameoConsent({ requesterId, prompt, cameos, mentionedHandles: handles });
    },
  };
}
