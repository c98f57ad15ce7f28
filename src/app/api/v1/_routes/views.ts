/** Database rows as the API shows them: platform ids instead of internal ones, ISO dates, no internals. */
import type { DbOrTx } from "@/server/db/client";
import type { Render, Work } from "@/server/db/schema";
import { cameoHandlesOfRender, type CameoWithApprovals } from "@/server/cameos/service";
import { mediaTypeOf } from "@/server/renders/media-access";
import { decisionSummary } from "@/server/renders/service";
import { decisionsFor, stagesRun } from "@/server/gate/decisions";
import { API_BASE } from "@/server/rest/http";
import type { CameoView, RenderView, WorkView } from "@/server/rest/schemas";
import { platformIdsOf } from "@/server/users/platform-users";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function renderView(db: DbOrTx, render: Render, origin: string): Promise<RenderView> {
  const ids = await platformIdsOf(db, [render.requesterId]);
  let media: RenderView["media"] = null;
  if (render.status === "released" && render.signedMediaId && render.signedSha256) {
    const mimeType = await mediaTypeOf(db, render.signedMediaId);
    if (mimeType) media = { url: `${origin}${API_BASE}/renders/${render.id}/media`, sha256: render.signedSha256, mimeType };
  }
  return {
    id: render.id,
    status: render.status,
    requester: ids.get(render.requesterId) ?? render.requesterId,
    decision: await decisionSummary(db, render),
    cameos: await cameoHandlesOfRender(db, render.id),
    requestedAt: render.requestedAt.toISOString(),
    decidedAt: iso(render.decidedAt),
    outputAt: iso(render.outputAt),
    releasedAt: iso(render.releasedAt),
    takenDownAt: iso(render.takenDownAt),
    media,
    stages: stagesRun(await decisionsFor(db, render.id)),
  };
}

export async function cameoView(db: DbOrTx, cameo: CameoWithApprovals): Promise<CameoView> {
  const ids = await platformIdsOf(db, [cameo.ownerId, ...cameo.approvedUserIds]);
  return {
    handle: cameo.handle,
    owner: ids.get(cameo.ownerId) ?? cameo.ownerId,
    status: cameo.status,
    scope: cameo.scope,
    approved: cameo.approvedUserIds.map((id) => ids.get(id) ?? id).sort(),
    restrictions: cameo.restrictions,
    enrollment: cameo.enrollmentReport ?? null,
    enrolledAt: iso(cameo.enrolledAt),
    revokedAt: iso(cameo.revokedAt),
    createdAt: cameo.createdAt.toISOString(),
  };
}

export async function workViews(db: DbOrTx, items: readonly Work[]): Promise<WorkView[]> {
  const ids = await platformIdsOf(db, items.map((w) => w.rightsHolderId));
  return items.map((w) => ({
    id: w.id,
    rightsHolder: ids.get(w.rightsHolderId) ?? w.rightsHolderId,
    title: w.title,
    aliases: w.aliases,
    policy: w.policy,
    trainingPreference: w.trainingPreference,
    awaitingApproval: w.awaitingApproval,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  }));
}
