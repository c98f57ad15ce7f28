import * as tf from "@tensorflow/tfjs";
import * as nsfwjs from "nsfwjs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { type RgbImage, decodeImage } from "@/server/ml/faces/image";
import { NSFW_CLASSES, type NsfwScores, classifyFrames, topClass } from "@/server/ml/nsfw";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { useCpuBackend } from "./helpers/tfjs-reference";

/** nsfwjs itself (TF.js, pure-JS CPU backend) on the same decoded pixels: the reference. */
async function nsfwjsScores(model: nsfwjs.NSFWJS, img: RgbImage): Promise<NsfwScores> {
  const t = tf.tensor3d(Int32Array.from(img.rgb), [img.height, img.width, 3], "int32");
  const res = await model.classify(t, NSFW_CLASSES.length);
  t.dispose();
  return Object.fromEntries(res.map((r) => [r.className, r.probability])) as NsfwScores;
}

describe.skipIf(!haveFixtures)(`NSFW classifier (ONNX) vs nsfwjs in TF.js ${haveFixtures ? "" : noFixturesReason}`, () => {
  let reference: nsfwjs.NSFWJS;
  let astronaut: RgbImage;
  let cat224: RgbImage;

  beforeAll(async () => {
    await ensureModelsBuilt();
    await useCpuBackend();
    reference = await nsfwjs.load("MobileNetV2Mid");
    astronaut = await decodeImage(fixture("faces", "collins_1.png")); // 512×512: exercises the resize path
    // exactly 224×224: exercises nsfwjs' no-resize path
    cat224 = await decodeImage(await sharp(fixture("faces", "noface_cat.png")).resize(224, 224, { fit: "fill" }).png().toBuffer());
  });

  it("matches nsfwjs class by class on a resized photo and on a 224×224 image", async () => {
    const ours = await classifyFrames([astronaut, cat224]);
    for (const [i, img] of [astronaut, cat224].entries()) {
      const ref = await nsfwjsScores(reference, img);
      const mine = ours[i] as NsfwScores;
      for (const c of NSFW_CLASSES) expect(Math.abs(mine[c] - ref[c])).toBeLessThan(1e-4);
      expect(topClass(mine)).toBe(topClass(ref));
      expect(NSFW_CLASSES.reduce((s, c) => s + mine[c], 0)).toBeCloseTo(1, 5);
    }
  });

  it("scores an ordinary portrait (NASA astronaut photo) as Neutral, as nsfwjs does", async () => {
    const [mine] = await classifyFrames([astronaut]);
    if (!mine) throw new Error("no result");
    expect(topClass(mine)).toBe("Neutral");
    expect(mine.Porn + mine.Hentai + mine.Sexy).toBeLessThan(0.05);
  });

  it("gives each frame of a batch the same scores as on its own", async () => {
    const batch = await classifyFrames([cat224, astronaut, cat224]);
    const [alone] = await classifyFrames([astronaut]);
    for (const c of NSFW_CLASSES) {
      expect(Math.abs((batch[1] as NsfwScores)[c] - (alone as NsfwScores)[c])).toBeLessThan(1e-5);
      expect(Math.abs((batch[0] as NsfwScores)[c] - (batch[2] as NsfwScores)[c])).toBeLessThan(1e-6);
    }
  });
});
