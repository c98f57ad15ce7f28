/**
 * Issue 9, "Every door counts bytes while streaming and stops at its limit before buffering, after authentication
 * and admission: tRPC JSON (about 1 MB), uploads per type, and one Verify service with one size cap and the same
 * admission on all three doors. A multi-gigabyte chunked POST to any route costs the server no more than its limit
 * in memory."
 *
 * Each door is given an 8 GiB chunked body that is never materialised: a pull-based stream that makes a 1 MiB
 * chunk only when the handler asks for one, and counts them. What the handler pulled is exactly what it could
 * hold, so "answers 413 having pulled at most limit + one chunk" is the memory bound, measured rather than timed.
 * An unauthenticated or unadmitted caller must be answered having pulled (almost) nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as apiRoute from "@/app/api/v1/[...path]/route";
import { NextRequest } from "next/server";
import { uploadDoor } from "@/app/api/console/upload/shared";
import { boundedAuthPost } from "@/server/auth/bounded-post";
import { AUTH_BODY_LIMIT, bodyLimits, FORM_OVERHEAD_BYTES, JSON_BODY_LIMIT } from "@/server/http/limits";
import { trpcBodyLimit, trpcHttpHandler } from "@/server/trpc/http";
import { verifyMultipartResponse } from "@/server/verify/service";
import { createKey } from "../api/helpers/client";
import { startApiWorld, type ApiWorld } from "../api/helpers/world";
import { demoUser } from "../helpers/callers";

const MiB = 1024 * 1024;
const CHUNK = MiB;
const OFFERED = 8 * 1024 * MiB; // 8 GiB, never held by anyone
const MAX_MEDIA = 24 * MiB; // the one setting: video 24 MiB, image 20 MiB, Verify 24 MiB

/** A chunked body of `OFFERED` bytes made on demand; `pulled` is how much the server asked for. */
function hugeBody(prefix = new Uint8Array(0)) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= OFFERED) return controller.close();
        const chunk = new Uint8Array(CHUNK);
        if (counter.pulled === 0) chunk.set(prefix);
        counter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function post(url: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>): Request {
  return new Request(url, { method: "POST", body, headers, duplex: "half" } as RequestInit & { duplex: "half" });
}

const BOUNDARY = "----clearance-test-boundary";
const formPrefix = (field: string, type: string) =>
  new TextEncoder().encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="big"\r\nContent-Type: ${type}\r\n\r\n`);
const multipart = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };

// MP4's first bytes, so type sniffing would accept the body if it were ever read whole.
const MP4_HEAD = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x69, 0x73, 0x6f, 0x32]);

let w: ApiWorld;
let admin: string;
beforeAll(async () => {
  // Verify's admission is built on first use in this process: a small bucket per client.
  process.env.CLEARANCE_VERIFY_BURST = "3";
  process.env.CLEARANCE_VERIFY_RATE = "0.001";
  w = await startApiWorld({ CLEARANCE_MAX_MEDIA_BYTES: String(MAX_MEDIA) });
  admin = (await createKey(w.database.db, ["renders:write", "renders:read", "works:write", "verify"])).key;
});
afterAll(async () => w?.close());

const rest = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}, key: string | null = admin) =>
  apiRoute.POST(post(`http://clearance.test/api/v1${path}`, body, { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }));

describe("the one setting", () => {
  it("derives every limit from CLEARANCE_MAX_MEDIA_BYTES", () => {
    expect(bodyLimits()).toEqual({ json: MiB, video: MAX_MEDIA, image: 20 * MiB, verify: MAX_MEDIA });
    expect(bodyLimits(500 * MiB)).toEqual({ json: MiB, video: 500 * MiB, image: 20 * MiB, verify: 100 * MiB });
  });
});

describe("REST doors", () => {
  it("JSON: 413 having pulled at most 1 MB + one chunk", async () => {
    const { stream, counter } = hugeBody(new TextEncoder().encode('{"prompt":"'));
    const res = await rest("/renders", stream, { "content-type": "application/json" });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(JSON_BODY_LIMIT + CHUNK);
  });

  it("render output (video): 413 at the video limit", async () => {
    const created = await apiRoute.POST(
      new Request("http://clearance.test/api/v1/renders", {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({ prompt: "a lighthouse in a storm", requester: "body-limits" }),
      }),
    );
    const { id } = (await created.json()) as { id: string };
    const { stream, counter } = hugeBody(MP4_HEAD);
    const res = await rest(`/renders/${id}/output`, stream, { "content-type": "video/mp4" });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeGreaterThan(bodyLimits().image); // the video limit, not the image one
    expect(counter.pulled).toBeLessThanOrEqual(bodyLimits().video + CHUNK);
  });

  it("reference image: 413 at the (smaller) image limit", async () => {
    // A work of this key's own tenant (another tenant's work is refused before its body is read).
    const created = await apiRoute.POST(
      new Request("http://clearance.test/api/v1/works", {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({ title: "Body Limits Bridge", rightsHolder: "body-limits-holder" }),
      }),
    );
    expect(created.status).toBe(201);
    const work = (await created.json()) as { id: string };
    const { stream, counter } = hugeBody(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const res = await rest(`/works/${work.id}/references`, stream, { "content-type": "image/png" });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(bodyLimits().image + CHUNK);
  });

  it("Verify: nothing streamed without a key, 413 at the Verify cap, then 429 from its admission before any byte is read", async () => {
    const anonymous = hugeBody();
    expect((await rest("/verify", anonymous.stream, { "content-type": "video/mp4" }, null)).status).toBe(401);
    // An unknown caller's unread body is drained only up to the small JSON allowance, never the media cap.
    expect(anonymous.counter.pulled).toBeLessThanOrEqual(JSON_BODY_LIMIT + CHUNK);

    const key = (await createKey(w.database.db, ["verify"])).key;
    const big = hugeBody(MP4_HEAD);
    expect((await rest("/verify", big.stream, { "content-type": "video/mp4" }, key)).status).toBe(413);
    expect(big.counter.pulled).toBeLessThanOrEqual(bodyLimits().verify + CHUNK);

    // The REST door now shares Verify's admission: this key's bucket (3) runs out like anyone's.
    for (let i = 0; i < 2; i++) {
      const small = hugeBody(MP4_HEAD);
      expect((await rest("/verify", small.stream, { "content-type": "video/mp4" }, key)).status).toBe(413);
    }
    const refused = hugeBody(MP4_HEAD);
    const res = await rest("/verify", refused.stream, { "content-type": "video/mp4" }, key);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused.counter.pulled).toBeLessThanOrEqual(JSON_BODY_LIMIT + CHUNK); // at most the drain allowance
  });
});

describe("tRPC door", () => {
  it("refuses a body past about 1 MB with 413, whatever the procedure", async () => {
    const { stream, counter } = hugeBody(new TextEncoder().encode('{"json":{"base64":"'));
    const res = await trpcHttpHandler(post("http://clearance.test/api/trpc/verify.file", stream, { "content-type": "application/json" }), async () => ({
      db: w.database.db,
      user: null,
    }));
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(JSON_BODY_LIMIT + CHUNK);
  });

  it("grants the hash-list import its larger allowance only to a signed-in admin, and only for that procedure", () => {
    const url = "http://clearance.test/api/trpc/admin.hashLists.import";
    expect(trpcBodyLimit(url, demoUser("admin@clearance.test"))).toBeGreaterThan(16 * MiB);
    expect(trpcBodyLimit(url, demoUser("mod@clearance.test"))).toBe(JSON_BODY_LIMIT);
    expect(trpcBodyLimit(url, null)).toBe(JSON_BODY_LIMIT);
    expect(trpcBodyLimit(`${url},verify.file`, demoUser("admin@clearance.test"))).toBe(JSON_BODY_LIMIT);
  });
});

describe("console multipart doors", () => {
  it("Verify: 413 at the one Verify cap; a client past its bucket is refused before its body is read", async () => {
    const big = hugeBody(formPrefix("file", "video/mp4"));
    const res = await verifyMultipartResponse(post("http://clearance.test/api/verify", big.stream, multipart), w.database.db, null, "ip:198.51.100.20");
    expect(res.status).toBe(413);
    expect(big.counter.pulled).toBeLessThanOrEqual(bodyLimits().verify + FORM_OVERHEAD_BYTES + CHUNK);

    for (let i = 0; i < 2; i++) {
      const again = hugeBody(formPrefix("file", "video/mp4"));
      await verifyMultipartResponse(post("http://clearance.test/api/verify", again.stream, multipart), w.database.db, null, "ip:198.51.100.20");
    }
    const refused = hugeBody(formPrefix("file", "video/mp4"));
    const limited = await verifyMultipartResponse(post("http://clearance.test/api/verify", refused.stream, multipart), w.database.db, null, "ip:198.51.100.20");
    expect(limited.status).toBe(429);
    expect(refused.counter.pulled).toBe(0);
  });

  it("uploads: signed out is refused before a byte is read; signed in, 413 at the upload type's limit", async () => {
    const anonymous = hugeBody(formPrefix("file", "video/mp4"));
    const never = async () => new Response(null, { status: 500 });
    const refused = await uploadDoor(post("http://clearance.test/api/console/upload/cameo", anonymous.stream, multipart), bodyLimits().video, null, never);
    expect(refused.status).toBe(401);
    expect(anonymous.counter.pulled).toBe(0);

    const ava = demoUser("ava@creator.test");
    const video = hugeBody(formPrefix("file", "video/mp4"));
    expect((await uploadDoor(post("http://clearance.test/api/console/upload/cameo", video.stream, multipart), bodyLimits().video, ava, never)).status).toBe(413);
    expect(video.counter.pulled).toBeLessThanOrEqual(bodyLimits().video + FORM_OVERHEAD_BYTES + CHUNK);

    const rights = demoUser("rights@leafstudio.test");
    const image = hugeBody(formPrefix("file", "image/png"));
    expect((await uploadDoor(post("http://clearance.test/api/console/upload/reference", image.stream, multipart), bodyLimits().image, rights, never)).status).toBe(413);
    expect(image.counter.pulled).toBeLessThanOrEqual(bodyLimits().image + FORM_OVERHEAD_BYTES + CHUNK);
    expect(image.counter.pulled).toBeLessThan(bodyLimits().video);
  });
});


describe("Auth.js door (issue 11: it read any POST body whole)", () => {
  it("refuses a sign-in body past 64 KB with 413 having pulled at most that plus one chunk; a real form passes unchanged", async () => {
    const seen: string[] = [];
    const authjs = async (req: NextRequest) => {
      seen.push(await req.text());
      return new Response(null, { status: 302 });
    };
    const { stream, counter } = hugeBody(new TextEncoder().encode("email=a%40b.test&password="));
    const huge = new NextRequest("http://clearance.test/api/auth/callback/credentials", { method: "POST", body: stream, headers: { "content-type": "application/x-www-form-urlencoded" }, duplex: "half" });
    expect((await boundedAuthPost(huge, authjs)).status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(AUTH_BODY_LIMIT + CHUNK);
    expect(seen).toEqual([]);

    const form = "csrfToken=abc&email=ava%40creator.test&password=pw";
    const small = new NextRequest("http://clearance.test/api/auth/callback/credentials", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await boundedAuthPost(small, authjs)).status).toBe(302);
    expect(seen).toEqual([form]);
  });
});
