import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { DEFAULT_FACE_PROFILE, ENROLLMENT_CRITERIA, LIKENESS_THRESHOLD, type RgbImage, decodeImage, enrollFromFrames, evaluateEnrollment } from "@/server/ml/faces";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";

/** A "camera" panning over a photo: windows of 85% of the image at shifting offsets. */
async function panFrames(file: string, count: number, stepFraction: number): Promise<RgbImage[]> {
  const meta = await sharp(fixture("faces", file)).metadata();
  const w = Math.round((meta.width ?? 0) * 0.85);
  const h = Math.round((meta.height ?? 0) * 0.85);
  const frames: RgbImage[] = [];
  for (let i = 0; i < count; i++) {
    const left = Math.min((meta.width ?? 0) - w, Math.round(i * stepFraction * (meta.width ?? 0)));
    const top = Math.min((meta.height ?? 0) - h, Math.round(i * stepFraction * 0.5 * (meta.height ?? 0)));
    frames.push(await decodeImage(await sharp(fixture("faces", file)).extract({ left, top, width: w, height: h }).png().toBuffer()));
  }
  return frames;
}

describe("enrollment rules (pure)", () => {
  const thumb = (v: number): Float32Array => new Float32Array(64 * 64).fill(v);
  const unit = (i: number): Float32Array => {
    const e = new Float32Array(8);
    e[i] = 1;
    return e;
  };

  it("fails closed on too few frames and reports why", () => {
    const r = evaluateEnrollment([{ faceCount: 1, embedding: unit(0), box: { x: 0, y: 0, width: 10, height: 10 }, thumbnail: thumb(0) }]);
    expect(r.report.passed).toBe(false);
    expect(r.report.reasons.join(" ")).toMatch(/only 1 frames/);
  });

  it("rejects orthogonal identities and accepts a consistent moving face", () => {
    const box = (x: number) => ({ x, y: 0, width: 100, height: 100 });
    const mixed = evaluateEnrollment([0, 1, 2].map((i) => ({ faceCount: 1, embedding: unit(i % 2), box: box(i * 10), thumbnail: thumb(i * 5) })));
    expect(mixed.report.passed).toBe(false);
    expect(mixed.report.identityConsistency?.min).toBe(0);
    const same = evaluateEnrollment([0, 1, 2].map((i) => ({ faceCount: 1, embedding: unit(0), box: box(i * 10), thumbnail: thumb(i * 5) })));
    expect(same.report.passed).toBe(true);
    expect(same.report.motion?.meanAbsPixelDiff).toBe(5);
    expect(Array.from(same.embedding ?? [])).toEqual(Array.from(unit(0)));
  });
});

describe.skipIf(!haveFixtures)(`enrollment from frames ${haveFixtures ? "" : noFixturesReason}`, () => {
  beforeAll(async () => {
    await ensureModelsBuilt();
  });

  it("passes one person seen in every frame with real motion", async () => {
    const { embedding, report } = await enrollFromFrames(await panFrames("obama_1.jpg", 4, 0.04));
    expect(report.reasons).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.framesWithFace).toBe(4);
    expect(report.identityConsistency?.min).toBeGreaterThanOrEqual(LIKENESS_THRESHOLD); // and so ≥ the enrollment bar
    expect(report.motion?.meanAbsPixelDiff).toBeGreaterThan(1);
    expect(embedding?.length).toBe(DEFAULT_FACE_PROFILE.embedder.dim); // 128: the aligned face-api ResNet (was FaceRes, 1024)
  });

  it("rejects a single still image repeated (no motion)", async () => {
    const [still] = await panFrames("guido_5.jpg", 1, 0);
    const { report } = await enrollFromFrames([still, still, still] as RgbImage[]);
    expect(report.passed).toBe(false);
    expect(report.motion?.meanAbsPixelDiff).toBe(0);
    expect(report.reasons.join(" ")).toMatch(/no real motion/);
  });

  it("rejects frames that switch between two people", async () => {
    const frames = await Promise.all(["allen_1.jpg", "guido_1.jpg", "allen_3.jpg"].map((f) => decodeImage(fixture("faces", f))));
    const { report } = await enrollFromFrames(frames);
    expect(report.passed).toBe(false);
    expect(report.identityConsistency?.min).toBeLessThan(ENROLLMENT_CRITERIA.minPairCosine);
    expect(report.reasons.join(" ")).toMatch(/not consistently the same person/);
  });

  it("rejects frames where the face is mostly missing", async () => {
    const cat = await decodeImage(fixture("faces", "noface_cat.png"));
    const face = await decodeImage(fixture("faces", "wozniak_3.jpg"));
    const { report } = await enrollFromFrames([face, cat, cat]);
    expect(report.passed).toBe(false);
    expect(report.framesWithFace).toBe(1);
    expect(report.reasons.join(" ")).toMatch(/face was found in 1 of 3/);
  });
});
