/** Works through the API: create, bulk (at the literal /works:bulk URL), list with cursors, references. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "./helpers/client";
import { GIF_BYTES, testPng } from "./helpers/media";
import { startApiWorld, type ApiWorld } from "./helpers/world";

let w: ApiWorld;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());

interface WorkBody {
  id: string;
  rightsHolder: string;
  title: string;
  aliases: { text: string; lang?: string }[];
  policy: string;
}

describe("works", () => {
  it("creates a work for a platform rights holder, and the gate then blocks prompts naming an alias", async () => {
    const res = await w.api("/api/v1/works", {
      method: "POST",
      json: { title: "Moonlight Courier", aliases: [{ text: "月光快递", lang: "zh-Hans" }], policy: "block", rightsHolder: "studio-9" },
    });
    expect(res.status).toBe(201);
    const work = (await res.json()) as WorkBody;
    expect(work).toMatchObject({ title: "Moonlight Courier", rightsHolder: "studio-9", policy: "block" });
    expect((await (await w.api(`/api/v1/works/${work.id}`)).json()) as WorkBody).toMatchObject({ id: work.id });
    const render = (await (await w.api("/api/v1/renders", { method: "POST", json: { prompt: "一部关于月光快递的短片", requester: "fan" } })).json()) as {
      status: string;
      decision: { reasons: { code: string }[] };
    };
    expect(render.status).toBe("blocked");
    expect(render.decision.reasons.map((r) => r.code)).toContain("ip_work_match");

    const patched = await w.api(`/api/v1/works/${work.id}`, { method: "PATCH", json: { policy: "review" } });
    expect(((await patched.json()) as WorkBody).policy).toBe("review");
  });

  it("bulk-creates at the literal URL /api/v1/works:bulk, reporting invalid rows by index", async () => {
    const res = await w.api("/api/v1/works:bulk", {
      method: "POST",
      json: {
        rightsHolder: "studio-bulk",
        works: [
          { title: "Bulk A", aliases: [{ text: "Alpha", lang: "en" }] },
          { title: "Bulk B", aliases: Array.from({ length: 51 }, (_, i) => ({ text: `b${i}` })) },
          { title: "Bulk C", policy: "review" },
          { aliases: [] },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { created: number; ids: string[]; errors: { row: number; message: string }[] };
    expect(body.created).toBe(2);
    expect(body.ids).toHaveLength(2);
    expect(body.errors.map((e) => e.row)).toEqual([1, 3]);
    expect(body.errors[0]!.message).toMatch(/^aliases:/);
    expect(body.errors[1]!.message).toMatch(/^title:/);
    // The percent-encoded colon names the same endpoint.
    const encoded = await w.api("/api/v1/works%3Abulk", { method: "POST", json: { rightsHolder: "studio-bulk", works: [{ title: "Bulk D" }] } });
    expect(((await encoded.json()) as { created: number }).created).toBe(1);
    expect((await w.api("/api/v1/works:bulk", { method: "POST", json: { rightsHolder: "x", works: [] } })).status).toBe(400);
  });

  it("lists newest first with opaque cursors, filtered by rights holder and searchable by alias", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ title: `Paged ${i}` }));
    await w.api("/api/v1/works:bulk", { method: "POST", json: { rightsHolder: "studio-pages", works: rows } });
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/works?rightsHolder=studio-pages&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = (await (await w.api(q)).json()) as { items: WorkBody[]; nextCursor: string | null };
      titles.push(...page.items.map((i) => i.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(titles.sort()).toEqual(rows.map((r) => r.title).sort());
    expect(await errorOf(await w.api("/api/v1/works?cursor=bogus"))).toMatchObject({ status: 400, code: "invalid_cursor" });
    const unknown = (await (await w.api("/api/v1/works?rightsHolder=never-seen")).json()) as { items: unknown[] };
    expect(unknown.items).toEqual([]);
    const search = (await (await w.api(`/api/v1/works?search=${encodeURIComponent("鬼滅")}`)).json()) as { items: WorkBody[] };
    expect(search.items.map((i) => i.title)).toEqual(["Demon Slayer"]);
  });

  it("stores a reference image (201) and refuses non-images (415) and unknown works (404)", async () => {
    const { id } = (await (await w.api("/api/v1/works", { method: "POST", json: { title: "Ref Work", rightsHolder: "studio-ref" } })).json()) as WorkBody;
    const png = testPng();
    const res = await w.api(`/api/v1/works/${id}/references`, { method: "POST", body: Buffer.from(png), headers: { "content-type": "image/png" } });
    expect(res.status).toBe(201);
    const ref = (await res.json()) as { workId: string; sha256: string; pdqHash: string | null; analysisError: { code: string } | null };
    expect(ref.workId).toBe(id);
    expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Either fingerprinted, or stored with the reason it could not be.
    if (ref.analysisError) expect(ref.pdqHash).toBeNull();
    else expect(ref.pdqHash).toMatch(/^[0-9a-f]{64}$/);

    const gif = await w.api(`/api/v1/works/${id}/references`, { method: "POST", body: Buffer.from(GIF_BYTES), headers: { "content-type": "image/png" } });
    expect(await errorOf(gif)).toMatchObject({ status: 415 });
    const missing = await w.api("/api/v1/works/00000000-0000-4000-8000-00000000beef/references", { method: "POST", body: Buffer.from(png), headers: { "content-type": "image/png" } });
    expect(missing.status).toBe(404);
  });
});
