/**
 * After a person approves a render that was held before rendering (a moderator's approval or an appeal
 * reversal), the console's own engine is asked to render it, exactly as when the gate approves at once.
 * Renders that came through the platform API are rendered by the platform's engine instead: it hears about
 * the approval from the `render.approved` webhook and submits the output through the API.
 */
import type { DbOrTx } from "../db/client";
import type { Render } from "../db/schema";
import { enqueueRenderJob, ENGINE_QUEUE } from "./render-jobs";
import { wakeInProcessWorker } from "../jobs/in-process";

/** Inside the approving transaction: the job commits with the approval. */
export async function queueRendering(tx: DbOrTx, render: Pick<Render, "id" | "apiKeyId">): Promise<boolean> {
  if (render.apiKeyId) return false;
  await enqueueRenderJob(tx, { queue: ENGINE_QUEUE, renderId: render.id });
  return true;
}

/** After the commit: lets an in-process worker pick the job up now instead of at its next poll. */
export const wakeEngine = () => wakeInProcessWorker();
