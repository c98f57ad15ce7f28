/** Cameos: register a likeness, verify it with an enrollment video, change its consent, revoke it. */
import { enrollCameo, getCameo, registerCameo, revokeCameo, updateCameo } from "@/server/cameos/service";
import { errorBodySchema, errorResponse, json, readJson, readMedia, route, type RouteSpec } from "@/server/rest/http";
import { cameoCreateBody, cameoPatchBody, cameoRevokedSchema, cameoViewSchema, enrollmentResultSchema } from "@/server/rest/schemas";
import { resolvePlatformUser, type Tenant } from "@/server/users/platform-users";
import { assertOwnsCameo } from "@/server/users/tenancy";
import type { Db } from "@/server/db/client";
import type { ApiClient } from "@/server/rest/api-key-auth";
import { cameoView } from "./views";

const handleParam = { handle: "The cameo's handle, without the @" };

/** The cameo named in the path, if this key's tenant owns it (404 or 403 otherwise). */
async function ownedCameo(db: Db, client: ApiClient, handle: string | undefined) {
  const cameo = await getCameo(db, handle ?? "");
  // Its consent settings and approved people are the owner's business, not every API key's.
  await assertOwnsCameo(db, client, cameo);
  return cameo;
}

async function userIds(db: Db, tenant: Tenant, platformIds: readonly string[] | undefined): Promise<string[] | undefined> {
  if (!platformIds) return undefined;
  const out: string[] = [];
  for (const id of new Set(platformIds)) out.push((await resolvePlatformUser(db, tenant, id)).id);
  return out;
}

export const cameoRoutes: RouteSpec[] = [
  route("POST /cameos", "cameos:write", {
    operationId: "registerCameo",
    summary: "Register a cameo (pending until its enrollment video is verified)",
    request: { json: cameoCreateBody },
    responses: {
      201: { description: "Registered, status pending", schema: cameoViewSchema },
      409: { description: "The handle is taken", schema: errorBodySchema },
    },
    async handle({ req, client, db }) {
      const body = await readJson(req, cameoCreateBody);
      const owner = await resolvePlatformUser(db, client.keyId, body.owner);
      const cameo = await registerCameo(db, client.actor, {
        handle: body.handle,
        ownerId: owner.id,
        scope: body.scope,
        approvedUserIds: await userIds(db, client.keyId, body.approved),
        restrictions: body.restrictions,
      });
      return json(await cameoView(db, cameo), 201, { location: `/api/v1/cameos/${cameo.handle}` });
    },
  }),
  route("PUT /cameos/{handle}/enrollment", "cameos:write", {
    operationId: "enrollCameo",
    summary: "Verify the cameo with its owner's enrollment video",
    description:
      "Body: the raw video/mp4. 200 when verified (the cameo becomes active); 422 when the video does not pass (status failed, " +
      "report.reasons says why; enroll again with another video); 202 when it passed but the face is estimated under 18 (status stays " +
      "pending until an admin reviews it; the estimate proves nothing, it only asks a person to look); 503 when the face models are unavailable (status stays pending).",
    params: handleParam,
    request: { media: ["video/mp4"] },
    responses: {
      200: { description: "Verified: the cameo is active", schema: enrollmentResultSchema },
      202: { description: "Held for review: the face is estimated under 18; the cameo stays pending", schema: enrollmentResultSchema },
      409: { description: "The cameo is not pending or failed", schema: errorBodySchema },
      422: { description: "Verification failed; the cameo is unusable", schema: enrollmentResultSchema },
      503: { description: "Models unavailable; the cameo stays pending", schema: enrollmentResultSchema },
    },
    async handle({ req, params, client, db }) {
      await ownedCameo(db, client, params.handle); // 404/403 before reading the video
      const { bytes } = await readMedia(req, ["video/mp4"]);
      const result = await enrollCameo(db, client.actor, params.handle ?? "", bytes);
      const body = { outcome: result.outcome, cameo: await cameoView(db, result.cameo), report: result.report };
      if (result.outcome === "active") return json(body, 200);
      if (result.outcome === "held") return json(body, 202);
      const reasons = Array.isArray(result.report.reasons) ? result.report.reasons.join(", ") : "see report";
      if (result.outcome === "failed") {
        return errorResponse(422, "enrollment_failed", `the enrollment video did not pass verification (${reasons})`, {}, body);
      }
      return errorResponse(503, "model_unavailable", "enrollment could not be verified now; the cameo stays pending", { "retry-after": "60" }, body);
    },
  }),
  route("GET /cameos/{handle}", "cameos:read", {
    operationId: "getCameo",
    summary: "A cameo's status, consent settings and enrollment report",
    params: handleParam,
    responses: { 200: { description: "The cameo", schema: cameoViewSchema } },
    async handle({ params, client, db }) {
      return json(await cameoView(db, await ownedCameo(db, client, params.handle)));
    },
  }),
  route("PATCH /cameos/{handle}", "cameos:write", {
    operationId: "updateCameo",
    summary: "Change scope, approved people or restrictions; pause or resume",
    params: handleParam,
    request: { json: cameoPatchBody },
    responses: {
      200: { description: "The updated cameo", schema: cameoViewSchema },
      409: { description: "Revoked, or not enrolled (cannot be paused or resumed)", schema: errorBodySchema },
    },
    async handle({ req, params, client, db }) {
      const body = await readJson(req, cameoPatchBody);
      await ownedCameo(db, client, params.handle);
      const cameo = await updateCameo(db, client.actor, params.handle ?? "", {
        scope: body.scope,
        restrictions: body.restrictions,
        status: body.status,
        approvedUserIds: await userIds(db, client.keyId, body.approved),
      });
      return json(await cameoView(db, cameo));
    },
  }),
  route("DELETE /cameos/{handle}", "cameos:write", {
    operationId: "revokeCameo",
    summary: "Revoke the cameo for good; released renders that used it are taken down",
    params: handleParam,
    responses: { 200: { description: "Revoked, with the renders taken down", schema: cameoRevokedSchema } },
    async handle({ params, client, db }) {
      await ownedCameo(db, client, params.handle);
      const { cameo, takenDown } = await revokeCameo(db, client.actor, params.handle ?? "");
      return json({ cameo: await cameoView(db, cameo), takenDown });
    },
  }),
];
