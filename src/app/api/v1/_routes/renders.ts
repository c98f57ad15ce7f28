/** Renders: the engine asks before rendering, uploads what it rendered, and fetches the signed release. */
import { renderOfApiKey, requestRender, submitOutput } from "@/server/renders/service";
import { openMedia } from "@/server/renders/media-access";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { ApiError, errorBodySchema, json, readJson, readMedia, route, type RouteSpec } from "@/server/rest/http";
import { outputAcceptedSchema, renderCreateBody, renderCreatedSchema, renderViewSchema } from "@/server/rest/schemas";
import { platformUserId } from "@/server/users/platform-users";
import { MEDIA_TYPES } from "@/server/media/type";
import { renderView } from "./views";

const idParam = { id: "The render's id" };

export const renderRoutes: RouteSpec[] = [
  route("POST /renders", "renders:write", {
    operationId: "createRender",
    summary: "Ask the gate whether a render may proceed",
    description:
      "Runs the pre-render gate (cameo consent, IP opt-outs, prompt policy). `approved`: render it and POST the output; " +
      "`blocked`: do not render; `held`: a moderator decides (poll or use a webhook). The same idempotencyKey returns the same render with 200.",
    request: { json: renderCreateBody },
    responses: {
      201: { description: "Render created and gated", schema: renderCreatedSchema },
      200: { description: "An earlier render with this idempotencyKey", schema: renderCreatedSchema },
      409: { description: "The idempotencyKey was used for a different request", schema: errorBodySchema },
    },
    async handle({ req, client, db }) {
      const body = await readJson(req, renderCreateBody);
      // The platform's own user id, in this key's namespace: never a console account (issue 9).
      const requesterId = await platformUserId(db, client.keyId, body.requester);
      const { render, decision, created } = await requestRender(
        db,
        getGateRuntime(db),
        { prompt: body.prompt, requesterId, cameoHandles: body.cameos, apiKeyId: client.keyId, idempotencyKey: body.idempotencyKey ?? null, engine: body.engine },
        client.actor,
      );
      return json({ id: render.id, status: render.status, decision }, created ? 201 : 200, { location: `/api/v1/renders/${render.id}` });
    },
  }),
  route("GET /renders/{id}", "renders:read", {
    operationId: "getRender",
    summary: "A render's status and gate decision (and, once released, where to fetch it)",
    params: idParam,
    responses: { 200: { description: "The render", schema: renderViewSchema } },
    async handle({ params, client, url, db }) {
      return json(await renderView(db, await renderOfApiKey(db, client.keyId, params.id), url.origin));
    },
  }),
  route("POST /renders/{id}/output", "renders:write", {
    operationId: "submitRenderOutput",
    summary: "Upload the engine's output for the post-render gate",
    description:
      "Body: the raw file (video/mp4, image/png or image/jpeg; the bytes must match Content-Type). Accepted once, and only " +
      "for an approved render. The post-render gate runs in the background: poll the render or use a webhook.",
    params: idParam,
    request: { media: MEDIA_TYPES },
    responses: {
      202: { description: "Stored; the post-render gate is queued", schema: outputAcceptedSchema },
      409: { description: "The render is not approved, or already has its output", schema: errorBodySchema },
    },
    async handle({ req, params, client, db }) {
      const render = await renderOfApiKey(db, client.keyId, params.id);
      // Refuse before reading what may be a large body (submitOutput checks again under a row lock).
      if (render.status !== "approved" && render.status !== "generating") {
        throw new ApiError(409, "conflict", `output is only accepted for an approved render (this one is ${render.status})`);
      }
      const media = await readMedia(req, MEDIA_TYPES);
      const moved = await submitOutput(db, render.id, media, client.actor);
      return json({ id: moved.id, status: moved.status }, 202);
    },
  }),
  route("GET /renders/{id}/media", "renders:read", {
    operationId: "getRenderMedia",
    summary: "The released, C2PA-signed file",
    params: idParam,
    responses: {
      200: { description: "The signed bytes (Content-Type as released; X-Content-SHA256 is their SHA-256)", media: MEDIA_TYPES },
      404: { description: "No such render, or not released", schema: errorBodySchema },
      410: { description: "Taken down", schema: errorBodySchema },
    },
    async handle({ params, client, db }) {
      const access = await openMedia(db, { apiKeyId: client.keyId }, { releaseOf: params.id ?? "" });
      if (!access.ok) {
        if (access.refusal === "taken_down") throw new ApiError(410, "gone", "this render was taken down");
        if (access.refusal === "not_released") throw new ApiError(404, "not_released", `not released (status: ${access.status})`);
        if (access.refusal === "release_missing") throw new ApiError(404, "not_released", "the released file is missing");
        throw new ApiError(404, "not_found", "render not found");
      }
      const { media } = access;
      return new Response(Buffer.from(media.bytes), {
        status: 200,
        headers: {
          "content-type": media.mimeType,
          "content-length": String(media.bytes.byteLength),
          "x-content-sha256": media.sha256 ?? "",
          etag: `"${media.sha256}"`,
          "cache-control": "private, no-store",
        },
      });
    },
  }),
];
