/**
 * What the Verify page shows about an uploaded file: the Content Credentials report from the provenance facade,
 * plus what Clearance knows about the render the credentials (or, when they were stripped, the pixels) point to.
 * A render's record is linked only for people allowed to see it (its requester, moderators, admins). Anyone
 * else learns only public facts: that a render named by validly signed credentials (or recognised by its pixels)
 * was released, or has since been taken down. A render that was never released (held, blocked…) is not
 * acknowledged at all, so a crafted manifest cannot be used to probe a render's status.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { renders, type Role } from "../db/schema";
import { PDQ_MATCH_DISTANCE } from "../ml/pdq";
import type { VerifyReport } from "../provenance";
import { findRenderByFingerprint } from "./soft-binding";

export interface Viewer {
  id: string;
  role: Role;
}

export interface SoftBindingMatch {
  renderId: string;
  /** 0..1, how alike the file and the render's fingerprints are. */
  similarity: number;
  /** e.g. "pdq", with the Hamming distance in `detail`. */
  technique: string;
  detail?: string;
}

/** Finds a released render that looks like the file (perceptual fingerprints), for files whose credentials are gone. */
export type SoftBindingLookup = (db: Db, bytes: Uint8Array, mimeType: string | null) => Promise<SoftBindingMatch | null>;

export interface RenderSummary {
  id: string;
  status: string;
  releasedAt: Date | null;
  takenDownAt: Date | null;
  /** Whether this viewer may open the render's record. */
  visible: boolean;
}

export interface VerifyResult {
  fileName?: string;
  size: number;
  report: VerifyReport;
  /** The render named by the file's Clearance gate assertion. */
  render: RenderSummary | null;
  softBinding: (SoftBindingMatch & { render: RenderSummary }) | null;
}

const canSee = (viewer: Viewer | null, requesterId: string) =>
  !!viewer && (viewer.role === "admin" || viewer.role === "moderator" || viewer.id === requesterId);

async function renderSummary(db: Db, viewer: Viewer | null, id: string, publicFacts: boolean): Promise<RenderSummary | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [r] = await db
    .select({ id: renders.id, status: renders.status, releasedAt: renders.releasedAt, takenDownAt: renders.takenDownAt, requesterId: renders.requesterId })
    .from(renders)
    .where(eq(renders.id, id));
  if (!r) return null;
  if (canSee(viewer, r.requesterId)) return { id: r.id, status: r.status, releasedAt: r.releasedAt, takenDownAt: r.takenDownAt, visible: true };
  if (!publicFacts || !r.releasedAt) return null;
  const takenDown = r.status === "taken_down";
  return { id: r.id, status: takenDown ? "taken_down" : "released", releasedAt: r.releasedAt, takenDownAt: takenDown ? r.takenDownAt : null, visible: false };
}

export async function explainUpload(
  db: Db,
  viewer: Viewer | null,
  file: { bytes: Uint8Array; mimeType?: string; fileName?: string },
  /** `softBinding` defaults to the PDQ fingerprint lookup below. */
  deps: { verify: (bytes: Uint8Array, options?: { mimeType?: string }) => Promise<VerifyReport>; softBinding?: SoftBindingLookup },
): Promise<VerifyResult> {
  const report = await deps.verify(file.bytes, { mimeType: file.mimeType });
  // Only credentials whose signature checks out say which render this file is; a broken or forged one names nothing.
  const signatureHolds = report.state === "trusted" || report.state === "valid_untrusted";
  const render = report.gate?.renderId ? await renderSummary(db, viewer, report.gate.renderId, signatureHolds) : null;
  let softBinding: VerifyResult["softBinding"] = null;
  if (!report.gate) {
    const match = await (deps.softBinding ?? fingerprintSoftBinding)(db, file.bytes, report.mediaType).catch(() => null);
    const summary = match ? await renderSummary(db, viewer, match.renderId, true) : null;
    if (match && summary) softBinding = { ...match, render: summary };
  }
  return { fileName: file.fileName, size: file.bytes.byteLength, report, render, softBinding };
}

/** Default: PDQ fingerprints of released renders' frames (src/server/verify/soft-binding.ts). */
export const fingerprintSoftBinding: SoftBindingLookup = async (db, bytes) => {
  const match = await findRenderByFingerprint(db, bytes);
  if (!match) return null;
  return {
    renderId: match.renderId,
    similarity: 1 - match.bestDistance / 256,
    technique: "pdq",
    detail: `${match.matchedFrames} of ${match.usableFrames} frames within Hamming distance ${PDQ_MATCH_DISTANCE} (best ${match.bestDistance})`,
  };
};
