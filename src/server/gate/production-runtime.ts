/**
 * The production gate: which stages run in each phase, in what order, with which data. Stages are
 * small and pure where they can be; this file gives them their data (from the database) and models.
 *
 *   pre:  cameo_consent → ip_text → prompt_policy
 *   post: frames → known_hashes → likeness → frame_classifiers → ip_image    then release: provenance (signing)
 */
import { env } from "@/env";
import { protectedFaceEmbeddings } from "../cameos/protected-people";
import { and, type eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { cameoApprovals, cameos, users } from "../db/schema";
import { bytesToEmbedding } from "../ml/index";
import { sampleFrames, type SampledFrame, type SampledMedia } from "../ml/frames";
import { provenance } from "../provenance/instance";
import { checkCameoConsent, type CameoRecord } from "../cameos/consent";
import { readEvidence } from "./evidence";
import { createConsentStage } from "./stages/consent";
import { ClipPromptSimilarity } from "../policy/prompt/clip-similarity";
import { createPromptPolicyStage } from "./stages/prompt-policy";
import { KeywordPromptScorer } from "../policy/prompt/keyword-scorer";
import type { FrameFingerprint, GateRuntime, ReleaseSigner } from "./runtime";
import { createIpTextStage } from "./stages/ip-text";
import type { Stage } from "./types";
import { createFrameClassifierStage } from "./stages/classifiers";
import { clipModelId, loadClip } from "../ml/clip/load";
import { createFramesStage, FRAME_PDQ_KEY, FRAMES_KEY, hashFrames, type FramePdq } from "./stages/frames";
import { createIpImageStage } from "./stages/ip-image";
import { currentKnownHashIndex } from "../hash-lists/index-store";
import { createKnownHashStage } from "./stages/known-hashes";
import { createLikenessStage, type LikenessCameo } from "./stages/likeness";
import { loadPolicy } from "../policy/current";
import { currentReferenceIndex } from "../works/reference-index";
import { currentWorkMatcher } from "../works/matcher-cache";
import { readPreGateVersions, type PreGateVersions } from "./pre-gate-versions";

export async function cameoRecords(db: DbOrTx, where: ReturnType<typeof eq> | undefined): Promise<(CameoRecord & { embedding: Uint8Array | null; faceModel: string | null })[]> {
  const rows = await db.select().from(cameos).where(where);
  if (rows.length === 0) return [];
  const approvals = await db.select().from(cameoApprovals).where(inArray(cameoApprovals.cameoId, rows.map((r) => r.id)));
  // E-mails approved before their owner had an account count once the account exists.
  const pendingEmails = [...new Set(rows.flatMap((r) => r.approvedEmails))];
  const byEmail = pendingEmails.length
    ? await db.select({ id: users.id, email: users.email }).from(users).where(inArray(sql`lower(${users.email})`, pendingEmails))
    : [];
  return rows.map((r) => ({
    id: r.id,
    handle: r.handle,
    ownerId: r.ownerId,
    status: r.status,
    scope: r.scope,
    restrictions: r.restrictions,
    approvedUserIds: [
      ...approvals.filter((a) => a.cameoId === r.id).map((a) => a.userId),
      ...byEmail.filter((u) => u.email && r.approvedEmails.includes(u.email.toLowerCase())).map((u) => u.id),
    ],
    embedding: r.faceEmbedding,
    faceModel: r.faceModel,
  }));
}

/** One per process: it caches its term index across requests. */
const keywordScorer = new KeywordPromptScorer();

/** The pre-render stages, reading the policy and the works at the versions the request read (pre-gate-versions.ts). */
export function preStages(db: DbOrTx, versions: PreGateVersions): Stage[] {
  return [
    createConsentStage({ lookupCameos: (handles) => (handles.length ? cameoRecords(db, inArray(cameos.handle, handles)) : Promise.resolve([])) }),
    createIpTextStage({ getMatcher: () => currentWorkMatcher.at(db, versions.works) }),
    createPromptPolicyStage({
      getPolicy: async () => {
        const policy = await loadPolicy.at(db, versions.policy);
        return { version: policy.version, categories: policy.categories.filter((c) => c.appliesTo !== "frame") };
      },
      scorer: keywordScorer,
      similarity: new ClipPromptSimilarity(() => loadClip(), clipModelId()),
    }),
  ];
}

/** A face that looks like a cameo is a use of that cameo: the same consent rules as a mention apply. */
function likenessConsent(cameo: CameoRecord, render: { requesterId: string; prompt: string }): { allowed: boolean; rule: string } {
  const result = checkCameoConsent({ requesterId: render.requesterId, prompt: render.prompt, cameos: [cameo], mentionedHandles: [cameo.handle] });
  const check = readEvidence("cameo_consent", result.evidence)?.cameos?.[0];
  return { allowed: result.verdict === "allow", rule: check?.rule ?? (result.verdict === "allow" ? `scope:${cameo.scope}` : "denied") };
}

export function postStages(db: DbOrTx): Stage[] {
  return [
    createFramesStage(),
    createKnownHashStage({ getIndex: () => currentKnownHashIndex(db) }),
    createLikenessStage({
      loadCameos: async () =>
        (await cameoRecords(db, and(isNotNull(cameos.faceEmbedding))))
          .filter((c): c is typeof c & { embedding: Uint8Array } => c.embedding !== null)
          .map((c): LikenessCameo & CameoRecord => ({ ...c, embedding: bytesToEmbedding(c.embedding) })),
      loadProtected: () => protectedFaceEmbeddings(db),
      allows: (cameo, render) => likenessConsent(cameo as LikenessCameo & CameoRecord, render),
      // Generated video is full of people who do not exist: by default an unmatched face is evidence, not a hold.
      unregisteredFacePolicy: env().CLEARANCE_UNREGISTERED_FACE_POLICY,
    }),
    createFrameClassifierStage({ getPolicy: () => loadPolicy(db), getClip: () => loadClip() }),
    createIpImageStage({ getIndex: () => currentReferenceIndex(db), getClip: () => loadClip() }),
  ];
}

async function signer(): Promise<ReleaseSigner | null> {
  const p = await provenance();
  return {
    version: `c2pa/${p.backend}`,
    sign: ({ bytes, mimeType, manifest }) =>
      p.sign({
        bytes,
        mimeType,
        manifest: {
          ...manifest,
          trainingMining: manifest.trainingPreference as "allowed" | "notAllowed" | "constrained" | undefined,
        },
      }),
  };
}

/** PDQ hashes of frames sampled from the released file: how Verify finds it again without its manifest. */
export async function fingerprintMedia(bytes: Uint8Array, mimeType: string): Promise<FrameFingerprint[]> {
  return fingerprintFrames((await sampleFrames(bytes, { claimedType: mimeType })).frames);
}

const toFingerprints = (hashes: readonly FramePdq[]): FrameFingerprint[] =>
  hashes.map((h) => ({ frameIndex: h.frameIndex, timestampSec: h.timestampSec, pdqHash: h.hash, pdqQuality: h.quality }));

/** Signing changes no pixels, so frames already sampled from the output fingerprint the signed file too. */
export function fingerprintFrames(frames: readonly SampledFrame[]): FrameFingerprint[] {
  return toFingerprints(hashFrames(frames));
}

const runtimes = new WeakMap<object, GateRuntime>();

/** The gate as configured for this database (one per database handle, reused). */
export function getGateRuntime(db: DbOrTx): GateRuntime {
  let runtime = runtimes.get(db);
  if (!runtime) {
    runtime = {
      async prePhase() {
        const versions = await readPreGateVersions(db);
        return { stages: preStages(db, versions), policyVersion: (await loadPolicy.at(db, versions.policy)).version };
      },
      fingerprintSampled: (shared) => {
        const sampled = shared.get(FRAMES_KEY) as SampledMedia | undefined;
        if (!sampled) return null;
        // The post-render stages hashed these frames already (known_hashes, ip_image): reuse their PDQ.
        return toFingerprints((shared.get(FRAME_PDQ_KEY) as FramePdq[] | undefined) ?? hashFrames(sampled.frames));
      },
      postStages: async () => postStages(db),
      signer,
      fingerprint: fingerprintMedia,
      policyVersion: async () => (await loadPolicy(db)).version,
      includePromptInManifest: env().CLEARANCE_MANIFEST_INCLUDE_PROMPT,
    };
    runtimes.set(db, runtime);
  }
  return runtime;
}
