import { mkdtemp, rm } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  getProvenance,
  loadSigningCredentials,
  signMedia,
  SigningError,
  TRAINED_ALGORITHMIC_MEDIA,
  verifyMedia,
  type ClearanceManifest,
  type MediaMimeType,
  type Provenance,
  type Signer,
} from "@/server/provenance";
import { createWasmSigner } from "@/server/provenance/c2pa-wasm";
import { selfSignedSigner } from "./certs";
import { flipByte, indexOfText, make, mediaDataOffset } from "./media";

const manifest: ClearanceManifest = {
  renderId: "render-7f3a9c",
  engine: { name: "DemoEngine", model: "demo-v2" },
  prompt: "a lighthouse at dusk",
  verdict: "allow",
  policyVersion: "policy-2026-11",
  decidedAt: "2026-11-20T10:00:00.000Z",
  releasedVia: "gate",
};

let root: string;
let provenance: Provenance;
beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  root = await mkdtemp(path.join(tmpdir(), "clearance-sign-"));
  provenance = await getProvenance({ devDir: path.join(root, "signing") });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

const TYPES: MediaMimeType[] = ["image/png", "image/jpeg", "video/mp4"];
const HASH_MISMATCH: Record<MediaMimeType, string> = {
  "image/png": "assertion.dataHash.mismatch",
  "image/jpeg": "assertion.dataHash.mismatch",
  "video/mp4": "assertion.bmffHash.mismatch",
};

describe.each(TYPES)("%s", (mimeType) => {
  let original: Uint8Array;
  let signed: Uint8Array;

  beforeAll(async () => {
    original = await make[mimeType]();
    const result = await provenance.sign({ bytes: original, mimeType, manifest });
    signed = result.bytes;
    expect(result.sha256).toBe(createHash("sha256").update(signed).digest("hex"));
  });

  it("signs and reads back as trusted, with our assertion and the AI source type", async () => {
    // MP4 natively (native-bmff.ts), PNG/JPEG through c2pa-rs; c2pa-rs reads every one of them back here.
    expect(provenance.backend).toBe("native-bmff+c2pa-wasm");
    expect(signed.length).toBeGreaterThan(original.length);
    const report = await provenance.verify(signed);
    expect(report).toMatchObject({ mediaType: mimeType, hasCredentials: true, state: "trusted", aiGenerated: true });
    expect(report.statuses.filter((s) => s.kind === "failure")).toEqual([]);
    expect(report.statuses.map((s) => s.code)).toContain("signingCredential.trusted");
    expect(report.digitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(report.digitalSourceLabel).toBe("AI-generated");
    expect(report.actions[0]).toMatchObject({ action: "c2pa.created", softwareAgent: "DemoEngine demo-v2" });
    expect(report.gate).toEqual({
      renderId: "render-7f3a9c",
      verdict: "allow",
      policyVersion: "policy-2026-11",
      decidedAt: "2026-11-20T10:00:00.000Z",
      releasedVia: "gate",
    });
    expect(report.signer).toMatchObject({ commonName: "Clearance Development Signer" });
    expect(report.claimGenerator).toMatch(/^Clearance/);
  });

  it("is valid but untrusted for a verifier without our CA", async () => {
    const report = await verifyMedia(signed);
    expect(report.state).toBe("valid_untrusted");
    const untrusted = report.statuses.find((s) => s.code === "signingCredential.untrusted");
    expect(untrusted?.explanation).toMatch(/not issued by an authority on the trust list/);
  });

  it("turns invalid when one byte of the picture data changes", async () => {
    const report = await provenance.verify(flipByte(signed, mediaDataOffset(signed, mimeType)));
    expect(report.state).toBe("invalid");
    expect(report.hasCredentials).toBe(true);
    const mismatch = report.statuses.find((s) => s.code === HASH_MISMATCH[mimeType]);
    expect(mismatch?.kind).toBe("failure");
    expect(mismatch?.explanation).toMatch(/changed after signing/);
    expect(report.summary).toMatch(/do not match this file/);
  });

  it("turns invalid when the manifest's own bytes change", async () => {
    const at = indexOfText(signed, "policy-2026-11");
    expect(at).toBeGreaterThan(0);
    const tampered = new Uint8Array(signed);
    tampered[at] = "P".charCodeAt(0);
    const report = await provenance.verify(tampered);
    expect(report.state).toBe("invalid");
    expect(report.statuses.some((s) => s.kind === "failure" && s.code === "assertion.hashedURI.mismatch")).toBe(true);
  });

  it("turns invalid when the signed claim itself changes", async () => {
    const at = indexOfText(signed, "xmp.iid:");
    expect(at).toBeGreaterThan(0);
    const tampered = new Uint8Array(signed); // keep it valid text, or the claim no longer even decodes
    tampered[at + 10] = tampered[at + 10] === 0x61 ? 0x62 : 0x61;
    const report = await provenance.verify(tampered);
    expect(report.state).toBe("invalid");
    const mismatch = report.statuses.find((s) => s.code === "claimSignature.mismatch");
    expect(mismatch?.explanation).toMatch(/altered after signing/);
  });
});

describe("manifest contents", () => {
  it("includes the prompt only when the flag allows it, and the CAWG training-mining preference when given", async () => {
    const png = await make["image/png"]();
    const quiet = await provenance.verify((await provenance.sign({ bytes: png, mimeType: "image/png", manifest })).bytes);
    expect(quiet.gate?.prompt).toBeUndefined();
    expect(quiet.trainingMining).toBeUndefined();

    const open = await getProvenance({ devDir: path.join(root, "signing"), includePrompt: true });
    const report = await open.verify(
      (
        await open.sign({
          bytes: png,
          mimeType: "image/png",
          manifest: { ...manifest, releasedVia: "moderator_approval", verdict: "review", trainingMining: { use: "notAllowed" } },
        })
      ).bytes,
    );
    expect(report.state).toBe("trusted");
    expect(report.gate).toMatchObject({ prompt: "a lighthouse at dusk", releasedVia: "moderator_approval", verdict: "review" });
    expect(report.trainingMining).toEqual({
      "cawg.ai_training": { use: "notAllowed" },
      "cawg.ai_generative_training": { use: "notAllowed" },
      "cawg.ai_inference": { use: "notAllowed" },
      "cawg.data_mining": { use: "notAllowed" },
    });
  });

  it("signs several renders at once", async () => {
    const inputs = await Promise.all(TYPES.map(async (mimeType) => ({ mimeType, bytes: await make[mimeType]() })));
    const results = await Promise.all(inputs.map((i) => provenance.sign({ ...i, manifest })));
    const reports = await Promise.all(results.map((r) => provenance.verify(r.bytes)));
    expect(reports.map((r) => r.state)).toEqual(["trusted", "trusted", "trusted"]);
  });
});

describe("refusals before signing (typed, fail closed)", () => {
  /** Wraps a signer to prove nothing reached the backend. */
  const spy = (signer: Signer) => {
    const embed = vi.fn(signer.embed.bind(signer));
    return { signer: { ...signer, embed } as Signer, embed };
  };

  it("refuses an expired signing certificate", async () => {
    const past = new Date(Date.now() - 2 * 365 * 86_400_000);
    const credentials = await loadSigningCredentials({ devDir: path.join(root, "expired"), now: () => past });
    expect(credentials.certificate.notAfter.getTime()).toBeLessThan(Date.now());
    const { signer, embed } = spy(createWasmSigner(credentials));
    const png = await make["image/png"]();
    await expect(signMedia({ bytes: png, mimeType: "image/png", manifest }, signer)).rejects.toMatchObject({
      name: "SigningError",
      code: "certificate_expired",
    });
    expect(embed).not.toHaveBeenCalled();
  });

  it("refuses a certificate that expired after start-up (the facade checks the clock at every signature)", async () => {
    let now = new Date();
    const p = await getProvenance({ devDir: path.join(root, "signing"), now: () => now });
    now = new Date(Date.now() + 400 * 86_400_000);
    await expect(p.sign({ bytes: await make["image/png"](), mimeType: "image/png", manifest })).rejects.toMatchObject({ code: "certificate_expired" });
    expect(p.describeSigner().warning).toMatch(/refused/);
  });

  it("refuses a self-signed signing certificate", async () => {
    const self = await selfSignedSigner();
    const credentials = await loadSigningCredentials({ certChainPem: self.certPem, privateKeyPem: self.keyPem });
    const { signer, embed } = spy(createWasmSigner(credentials));
    await expect(signMedia({ bytes: await make["image/jpeg"](), mimeType: "image/jpeg", manifest }, signer)).rejects.toMatchObject({
      code: "certificate_self_signed",
    });
    expect(embed).not.toHaveBeenCalled();
  });

  it("refuses media whose bytes are not the declared type, unsupported types, bad manifests and oversize input", async () => {
    const png = await make["image/png"]();
    await expect(provenance.sign({ bytes: png, mimeType: "video/mp4", manifest })).rejects.toMatchObject({ code: "type_mismatch" });
    await expect(provenance.sign({ bytes: png, mimeType: "image/gif" as MediaMimeType, manifest })).rejects.toMatchObject({ code: "unsupported_type" });
    await expect(provenance.sign({ bytes: png, mimeType: "image/png", manifest: { ...manifest, renderId: "" } })).rejects.toMatchObject({
      code: "invalid_manifest",
    });
    await expect(provenance.sign({ bytes: png, mimeType: "image/png", manifest: { ...manifest, verdict: "block" } })).rejects.toMatchObject({
      code: "invalid_manifest",
    });
    await expect(
      provenance.sign({ bytes: png, mimeType: "image/png", manifest: { ...manifest, releasedVia: "whim" as ClearanceManifest["releasedVia"] } }),
    ).rejects.toBeInstanceOf(SigningError);
    const small = await getProvenance({ devDir: path.join(root, "signing"), maxBytes: 100 });
    await expect(small.sign({ bytes: png, mimeType: "image/png", manifest })).rejects.toMatchObject({ name: "MediaTooLargeError" });
  });

  it("wraps a backend failure in SigningError", async () => {
    const credentials = await loadSigningCredentials({ devDir: path.join(root, "signing") });
    const broken: Signer = { ...createWasmSigner(credentials), embed: async () => Promise.reject(new Error("backend exploded")) };
    await expect(signMedia({ bytes: await make["image/png"](), mimeType: "image/png", manifest }, broken)).rejects.toMatchObject({
      name: "SigningError",
      code: "sign_failed",
      message: expect.stringMatching(/backend exploded/),
    });
  });
});
