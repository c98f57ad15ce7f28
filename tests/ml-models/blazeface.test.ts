import { describe, expect, it } from "vitest";
import { type RawDetection, blazeFaceAnchors, decodeBlazeFace, nonMaxSuppression, placement, toImageSpace } from "@/server/ml/faces/blazeface";
import { cropAndResize, resizeBilinear } from "@/server/ml/faces/image";

const det = (index: number, score: number, box: [number, number, number, number]): RawDetection => ({ index, score, box, keypoints: [] });

describe("BlazeFace post-processing (pure)", () => {
  it("lays out 896 anchors: 16×16×2 at stride 16, then 8×8×6 at stride 32", () => {
    const a = blazeFaceAnchors();
    expect(a.length / 2).toBe(896);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[2 * 512], a[2 * 512 + 1]]).toEqual([16, 16]);
    expect([a[2 * 895], a[2 * 895 + 1]]).toEqual([240, 240]);
  });

  it("decodes centre/size offsets relative to the anchor and keeps only rows above the score", () => {
    const anchors = Float32Array.of(8, 8, 24, 8);
    const rows = new Float32Array(34);
    rows.set([3, 1, 2, 20, 10], 0); // sigmoid(3) ≈ 0.95
    rows[17] = -3; // sigmoid(-3) ≈ 0.05
    const out = decodeBlazeFace(rows, anchors, 0.2);
    expect(out).toHaveLength(1);
    expect(out[0]?.box).toEqual([9 - 10, 10 - 5, 9 + 10, 10 + 5]);
    expect(out[0]?.keypoints[0]).toEqual([8, 8]);
  });

  it("suppresses overlaps and, optionally, a box nested in a stronger one", () => {
    const dets = [det(0, 0.9, [0, 0, 100, 100]), det(1, 0.8, [5, 5, 105, 105]), det(2, 0.5, [20, 20, 45, 45]), det(3, 0.7, [200, 0, 300, 100])];
    expect(nonMaxSuppression(dets, 0.1, 10).map((d) => d.index)).toEqual([0, 3, 2]);
    expect(nonMaxSuppression(dets, 0.1, 10, true).map((d) => d.index)).toEqual([0, 3]);
    expect(nonMaxSuppression(dets, 0.1, 1).map((d) => d.index)).toEqual([0]);
  });

  it("maps letterboxed detections back to image pixels and squares the 1.4× crop", () => {
    const p = placement(1000, 500, true); // inner 256×128 centred vertically
    expect(p).toMatchObject({ innerWidth: 256, innerHeight: 128, offsetX: 0, offsetY: 64 });
    const { detectorBox, cropBox } = toImageSpace(det(0, 1, [64, 96, 128, 160]), p);
    expect(detectorBox.x).toBeCloseTo(250);
    expect(detectorBox.y).toBeCloseTo(125);
    expect(detectorBox.width).toBeCloseTo(250);
    expect(detectorBox.height).toBeCloseTo(250);
    expect(cropBox).toEqual({ x: 200, y: 75, width: 350, height: 350 });
  });
});

describe("TF.js resampling kernels (pure)", () => {
  const img = { width: 3, height: 2, data: Uint8Array.from([0, 0, 0, 30, 30, 30, 60, 60, 60, 90, 90, 90, 120, 120, 120, 150, 150, 150]) };

  it("resizeBilinear with and without align_corners", () => {
    // align_corners: corners map to corners
    const a = resizeBilinear(img, 3, 5, true);
    expect(Array.from({ length: 5 }, (_, x) => a[x * 3])).toEqual([0, 15, 30, 45, 60]);
    expect(a[(2 * 5 + 4) * 3]).toBe(150);
    // asymmetric (TF default): src = dst × in/out, clamped at the far edge
    const b = resizeBilinear(img, 2, 6, false);
    expect(Array.from({ length: 6 }, (_, x) => b[x * 3])).toEqual([0, 15, 30, 45, 60, 60]);
  });

  it("cropAndResize samples inside the box and writes 0 outside the image", () => {
    const c = cropAndResize(img, { y1: 0, x1: 0, y2: 1, x2: 1 }, 2, 3);
    expect(Array.from({ length: 6 }, (_, i) => c[i * 3])).toEqual([0, 30, 60, 90, 120, 150]);
    const out = cropAndResize(img, { y1: -1, x1: 0, y2: 1, x2: 1 }, 3, 3);
    expect(Array.from({ length: 3 }, (_, i) => out[i * 3])).toEqual([0, 0, 0]); // first row lies above the image
    expect(out[(2 * 3 + 2) * 3]).toBe(150);
  });
});
