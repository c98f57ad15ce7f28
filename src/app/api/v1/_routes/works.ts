/** Works: rights holders' opt-outs (titles, multilingual aliases, reference images) the IP stages match against. */
import { sha256Hex } from "@/server/media/store";
import { ApiError, errorBodySchema, json, readJson, readMedia, readQuery, route, type RouteSpec } from "@/server/rest/http";
import {
  referenceViewSchema,
  workBulkBody,
  workBulkBodyDoc,
  workBulkResultSchema,
  workCreateBody,
  workListQuery,
  workListSchema,
  workPatchBody,
  workViewSchema,
} from "@/server/rest/schemas";
import { findPlatformUser, resolvePlatformUser, UUID_RE } from "@/server/users/platform-users";
import { assertOwnsWork } from "@/server/users/tenancy";
import { addReference, bulkCreateWorks, createWork, getWork, listWorks, updateWork } from "@/server/works/service";
import { workViews } from "./views";

const idParam = { id: "The work's id" };
/** A 5,000-row upload with 50 aliases each is a few MiB; this leaves room without inviting abuse. */
const BULK_JSON_LIMIT = 16 * 1024 * 1024;

function workId(id: string | undefined): string {
  if (!id || !UUID_RE.test(id)) throw new ApiError(404, "not_found", "work not found");
  return id;
}

export const workRoutes: RouteSpec[] = [
  route("POST /works", "works:write", {
    operationId: "createWork",
    summary: "Register a work (title, aliases in any language, policy)",
    request: { json: workCreateBody },
    responses: { 201: { description: "Created", schema: workViewSchema } },
    async handle({ req, client, db }) {
      const { rightsHolder, ...fields } = await readJson(req, workCreateBody);
      const holder = await resolvePlatformUser(db, client.keyId, rightsHolder, "rights_holder");
      const work = await createWork(db, client.actor, { ...fields, rightsHolderId: holder.id });
      const [view] = await workViews(db, [work]);
      return json(view, 201, { location: `/api/v1/works/${work.id}` });
    },
  }),
  route("POST /works:bulk", "works:write", {
    operationId: "bulkCreateWorks",
    summary: "Register many works at once; each row is validated on its own",
    description: "Valid rows are created; invalid rows are listed in `errors` by their 0-based index. Up to 5,000 rows.",
    request: { json: workBulkBodyDoc },
    responses: { 200: { description: "What was created and what was refused", schema: workBulkResultSchema } },
    async handle({ req, client, db }) {
      const body = await readJson(req, workBulkBody, BULK_JSON_LIMIT);
      const holder = await resolvePlatformUser(db, client.keyId, body.rightsHolder, "rights_holder");
      return json(await bulkCreateWorks(db, client.actor, holder.id, body.works));
    },
  }),
  route("GET /works", "works:read", {
    operationId: "listWorks",
    summary: "Works, newest first, keyset-paginated (pass nextCursor back as cursor)",
    query: workListQuery,
    responses: { 200: { description: "A page of works", schema: workListSchema } },
    async handle({ url, client, db }) {
      const q = readQuery(url, workListQuery);
      let rightsHolderId: string | undefined;
      if (q.rightsHolder) {
        const holder = await findPlatformUser(db, client.keyId, q.rightsHolder);
        if (!holder) return json({ items: [], nextCursor: null });
        rightsHolderId = holder.id;
      }
      const page = await listWorks(db, { cursor: q.cursor, limit: q.limit, search: q.search, rightsHolderId });
      return json({ items: await workViews(db, page.items), nextCursor: page.nextCursor });
    },
  }),
  route("GET /works/{id}", "works:read", {
    operationId: "getWork",
    summary: "One work",
    params: idParam,
    responses: { 200: { description: "The work", schema: workViewSchema } },
    async handle({ params, db }) {
      const [view] = await workViews(db, [await getWork(db, workId(params.id))]);
      return json(view);
    },
  }),
  route("PATCH /works/{id}", "works:write", {
    operationId: "updateWork",
    summary: "Change a work's title, aliases, policy or training preference",
    params: idParam,
    request: { json: workPatchBody },
    responses: { 200: { description: "The updated work", schema: workViewSchema } },
    async handle({ req, params, client, db }) {
      const patch = await readJson(req, workPatchBody);
      await assertOwnsWork(db, client, await getWork(db, workId(params.id)));
      const [view] = await workViews(db, [await updateWork(db, client.actor, workId(params.id), patch)]);
      return json(view);
    },
  }),
  route("POST /works/{id}/references", "works:write", {
    operationId: "addWorkReference",
    summary: "Add a reference image (PNG or JPEG) for post-render image matching",
    description:
      "Body: the raw image. It is fingerprinted (PDQ + CLIP embedding); when the models are unavailable the image is still " +
      "stored and `analysisError` says so: such a reference matches nothing until re-analysed.",
    params: idParam,
    request: { media: ["image/png", "image/jpeg"] },
    responses: {
      201: { description: "Stored (see analysisError)", schema: referenceViewSchema },
      400: { description: "Empty body, or an image that cannot be used (damaged, too many pixels, another file hidden in it)", schema: errorBodySchema },
    },
    async handle({ req, params, client, db }) {
      const work = await getWork(db, workId(params.id)); // 404/403 before reading the image
      await assertOwnsWork(db, client, work);
      const media = await readMedia(req, ["image/png", "image/jpeg"]);
      const { reference, analysisError } = await addReference(db, client.actor, work.id, media.bytes, media.mimeType);
      return json(
        {
          id: reference.id,
          workId: work.id,
          sha256: sha256Hex(media.bytes),
          pdqHash: reference.pdqHash,
          embeddingModel: reference.embeddingModel,
          analysisError,
        },
        201,
      );
    },
  }),
];
