/** Third-party C2PA samples (../shared/fixtures/c2pa, see its README): media Clearance did not make. */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { verifyMedia, type MediaMimeType } from "@/server/provenance";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { flipByte, make, mediaDataOffset } from "./media";

const c2pa = (name: string) => fixture("c2pa", name);
const bytesOf = async (name: string) => new Uint8Array(await readFile(c2pa(name)));

const SAMPLES: Array<{ file: string; type: MediaMimeType; mismatch: string }> = [
  { file: "C.jpg", type: "image/jpeg", mismatch: "assertion.dataHash.mismatch" },
  { file: "C_with_CAWG_data.jpg", type: "image/jpeg", mismatch: "assertion.dataHash.mismatch" },
  { file: "adobe-20220124-CA.jpg", type: "image/jpeg", mismatch: "assertion.dataHash.mismatch" },
  { file: "ocsp.jpg", type: "image/jpeg", mismatch: "assertion.dataHash.mismatch" },
  { file: "video1.mp4", type: "video/mp4", mismatch: "assertion.bmffHash.mismatch" },
  { file: "legacy.mp4", type: "video/mp4", mismatch: "assertion.bmffHash.mismatch" },
];

describe.skipIf(!haveFixtures)(`third-party samples ${haveFixtures ? "" : noFixturesReason}`, () => {
  it.each(SAMPLES)("$file is valid but untrusted by default, and still so against the official trust list", async ({ file, type }) => {
    const bytes = await bytesOf(file);
    const report = await verifyMedia(bytes);
    expect(report).toMatchObject({ mediaType: type, hasCredentials: true, state: "valid_untrusted" });
    expect(report.statuses.find((s) => s.code === "signingCredential.untrusted")?.kind).toBe("failure");
    expect(report.signer?.commonName ?? report.signer?.issuer).toBeTruthy();

    const official = await verifyMedia(bytes, { trustAnchorsPem: await readFile(c2pa("C2PA-TRUST-LIST.pem"), "utf8") });
    expect(official.state).toBe("valid_untrusted");
  });

  it.each(SAMPLES)("$file turns invalid when one byte of its media data changes", async ({ file, type, mismatch }) => {
    const bytes = await bytesOf(file);
    const report = await verifyMedia(flipByte(bytes, mediaDataOffset(bytes, type)));
    expect(report.state).toBe("invalid");
    expect(report.statuses.map((s) => s.code)).toContain(mismatch);
  });

  it("C.jpg is trusted with the c2pa-rs test root bundle as anchor, and reports its signing time", async () => {
    const report = await verifyMedia(await bytesOf("C.jpg"), { trustAnchorsPem: await readFile(c2pa("c2pa-rs-test-root-bundle.pem"), "utf8") });
    expect(report.state).toBe("trusted");
    expect(report.statuses.map((s) => s.code)).toContain("signingCredential.trusted");
    expect(report.signer).toMatchObject({ commonName: "C2PA Signer", issuer: "C2PA Test Signing Cert" });
    expect(report.signingTime).toBe("2024-08-06T21:53:37+00:00");
    expect(report.gate).toBeUndefined();
  });

  it("ocsp.jpg is labelled as partly AI-generated, with its ingredient", async () => {
    const report = await verifyMedia(await bytesOf("ocsp.jpg"));
    expect(report.digitalSourceType).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
    expect(report.digitalSourceLabel).toMatch(/^AI-generated/);
    expect(report.aiGenerated).toBe(true);
    expect(report.actions.map((a) => a.action)).toEqual(["c2pa.opened", "c2pa.cropped", "c2pa.edited"]);
    expect(report.actions[2]?.softwareAgent).toBe("Adobe Firefly");
    expect(report.ingredients).toEqual([expect.objectContaining({ title: "ocsp.jpg", relationship: "componentOf" })]);
  });

  it("C_with_CAWG_data.jpg shows its CAWG training-mining preference", async () => {
    const report = await verifyMedia(await bytesOf("C_with_CAWG_data.jpg"));
    expect(report.trainingMining).toMatchObject({ "cawg.ai_inference": { use: "notAllowed" } });
  });

  it("a file without credentials reads as none, not as an error", async () => {
    for (const type of ["image/jpeg", "image/png", "video/mp4"] as const) {
      const report = await verifyMedia(await make[type]());
      expect(report).toMatchObject({ mediaType: type, hasCredentials: false, state: "none", statuses: [] });
      expect(report.summary).toBe("This file has no Content Credentials.");
    }
  });
});
