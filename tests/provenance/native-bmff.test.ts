/**
 * The native MP4 signer (native-bmff.ts): what it writes must read as valid and trusted in c2pa-rs (the
 * independent reader), must still play (ffmpeg decodes the same frames: chunk offsets were shifted right), and
 * layouts it does not handle must go to c2pa-rs instead.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  buildManifestDefinition,
  loadSigningCredentials,
  signMedia,
  verifyMedia,
  type ClearanceManifest,
  type Signer,
  type SigningCredentials,
} from "@/server/provenance";
import { hashedBoxes, isC2paBox, planInsertion, readBoxes } from "@/server/provenance/bmff";
import { createWasmSigner } from "@/server/provenance/c2pa-wasm";
import { checkSignedBmff, createNativeBmffSigner, NativeSignCheckError } from "@/server/provenance/native-bmff";
import { FFMPEG, indexOfText, makeMp4, makePng } from "./media";

const run = promisify(execFile);

const manifest: ClearanceManifest = {
  renderId: "render-native-1",
  engine: { name: "DemoEngine", model: "demo-v2" },
  verdict: "allow",
  policyVersion: "policy-native",
  decidedAt: "2026-12-01T10:00:00.000Z",
  releasedVia: "gate",
  trainingMining: "notAllowed",
};

let root: string;
let credentials: SigningCredentials;
let anchors: string;
let fallbackCalls = 0;
/** c2pa-rs, counting how often the native signer hands a file over. */
let fallback: Signer;
let native: Signer;

beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  root = await mkdtemp(path.join(tmpdir(), "clearance-native-bmff-"));
  credentials = await loadSigningCredentials({ devDir: path.join(root, "signing") });
  anchors = credentials.devAnchorsPem.join("\n");
  const wasm = createWasmSigner(credentials);
  fallback = {
    ...wasm,
    embed: (...args) => {
      fallbackCalls++;
      return wasm.embed(...args);
    },
  };
  native = createNativeBmffSigner(credentials, fallback);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

async function ffmpegMp4(name: string, args: string[]): Promise<Uint8Array> {
  const out = path.join(root, name);
  await run(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10", "-pix_fmt", "yuv420p", ...args, out]);
  return new Uint8Array(await readFile(out));
}

/** MD5 of every decoded frame: equal lists mean the signed file plays exactly as the original. */
async function frameMd5s(bytes: Uint8Array, name: string): Promise<string[]> {
  const file = path.join(root, name);
  await writeFile(file, bytes);
  const { stdout } = await run(FFMPEG, ["-hide_banner", "-loglevel", "error", "-i", file, "-map", "0:v", "-f", "framemd5", "-"]);
  return stdout.split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(",").at(-1)!.trim());
}

async function expectTrustedInC2paRs(signed: Uint8Array): Promise<void> {
  const report = await verifyMedia(signed, { trustAnchorsPem: anchors });
  expect(report.statuses.filter((s) => s.kind === "failure")).toEqual([]);
  expect(report.state).toBe("trusted");
  expect(report.statuses.map((s) => s.code)).toContain("assertion.bmffHash.match");
  expect(report.gate).toMatchObject({ renderId: "render-native-1", policyVersion: "policy-native" });
  expect(report.trainingMining?.["cawg.ai_training"]).toEqual({ use: "notAllowed" });
  expect(report.actions[0]).toMatchObject({ action: "c2pa.created", softwareAgent: "DemoEngine demo-v2" });
}

describe("native MP4 signing", () => {
  const layouts: Array<[string, () => Promise<Uint8Array>]> = [
    ["moov first (faststart), as renders are written", () => makeMp4()],
    ["moov after mdat", () => ffmpegMp4("moov-last.mp4", [])],
    ["x264 with udta metadata, 1 MB", () => makeMp4({ seconds: 2, size: "320x240", bitrate: "4M", noise: true })],
  ];

  it.each(layouts)("%s: signs without c2pa-rs, reads trusted in c2pa-rs, plays the same frames", async (_, make) => {
    const original = await make();
    expect(planInsertion(original).ok).toBe(true);
    const before = fallbackCalls;
    const { bytes: signed } = await signMedia({ bytes: original, mimeType: "video/mp4", manifest }, native);
    expect(fallbackCalls).toBe(before);

    const top = readBoxes(signed);
    expect(top[0]?.type).toBe("ftyp");
    expect(isC2paBox(signed, top[1]!)).toBe(true); // right after ftyp, where c2pa-rs puts it
    await expectTrustedInC2paRs(signed);
    expect(await frameMd5s(signed, "signed.mp4")).toEqual(await frameMd5s(original, "original.mp4"));
  });

  it("hands fragmented MP4s to c2pa-rs, which signs them", async () => {
    const fragmented = await ffmpegMp4("fragmented.mp4", ["-movflags", "frag_keyframe+empty_moov"]);
    expect(planInsertion(fragmented)).toMatchObject({ ok: false });
    const before = fallbackCalls;
    const { bytes: signed } = await signMedia({ bytes: fragmented, mimeType: "video/mp4", manifest }, native);
    expect(fallbackCalls).toBe(before + 1);
    expect((await verifyMedia(signed, { trustAnchorsPem: anchors })).state).toBe("trusted");
  });

  it("hands PNG and MP4s already holding a manifest to c2pa-rs", async () => {
    const before = fallbackCalls;
    await signMedia({ bytes: await makePng(), mimeType: "image/png", manifest }, native);
    expect(fallbackCalls).toBe(before + 1);
    const signedOnce = (await signMedia({ bytes: await makeMp4(), mimeType: "video/mp4", manifest }, native)).bytes;
    expect(planInsertion(signedOnce)).toEqual({ ok: false, reason: "the file already holds a C2PA manifest" });
  });

  describe("the after-sign check (no re-hash)", () => {
    let signed: Uint8Array;
    let manifestLabel: string;
    beforeAll(async () => {
      signed = await native.embed(await makeMp4(), "video/mp4", buildManifestDefinition(manifest, "video/mp4"));
      const at = indexOfText(signed, "urn:c2pa:");
      manifestLabel = Buffer.from(signed.subarray(at, at + "urn:c2pa:".length + 36)).toString("latin1");
    });

    it("accepts what was signed", () => {
      expect(() => checkSignedBmff(signed, credentials, { hashed: hashedBoxes(signed), manifestLabel })).not.toThrow();
    });

    it("refuses a claim changed after signing", () => {
      const at = indexOfText(signed, "xmp.iid:");
      const tampered = new Uint8Array(signed);
      tampered[at + 10] = tampered[at + 10] === 0x61 ? 0x62 : 0x61;
      expect(() => checkSignedBmff(tampered, credentials, { hashed: hashedBoxes(signed), manifestLabel })).toThrow(/does not verify over the claim/);
    });

    it("refuses a layout other than the one that was hashed", () => {
      const hashed = hashedBoxes(signed).map((box, i) => (i === 0 ? { ...box, size: box.size - 1 } : box));
      expect(() => checkSignedBmff(signed, credentials, { hashed, manifestLabel })).toThrow(NativeSignCheckError);
    });
  });
});
