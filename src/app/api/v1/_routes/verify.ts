/**
 * POST /verify: a platform checks any file's Content Credentials (the same service as the console's Verify
 * page), including the soft-binding lookup for files whose credentials were stripped.
 */
import { ApiError, errorBodySchema, json, route, type RouteSpec } from "@/server/rest/http";
import { readVerifyBody, verifyRefusal, verifyUpload } from "@/server/verify/service";

export const verifyRoutes: readonly RouteSpec[] = [
  route("POST /verify", "verify", {
    operationId: "verifyFile",
    summary: "Check a file's Content Credentials",
    description:
      "The body is the file (any type; MP4, PNG and JPEG can carry credentials). The answer's `report.state` is " +
      "`trusted`, `valid_untrusted`, `invalid` or `none`, with every c2pa-rs status code explained; `softBinding` names " +
      "the Clearance render a credential-less file looks like.",
    request: { media: ["application/octet-stream", "video/mp4", "image/png", "image/jpeg"] },
    responses: {
      200: { description: "The verification report" },
      413: { description: "Larger than the Verify limit", schema: errorBodySchema },
      429: { description: "This key's verifications are over their rate; see Retry-After", schema: errorBodySchema },
      503: { description: "Every verification slot and the queue are busy; see Retry-After", schema: errorBodySchema },
    },
    async handle({ req, client, db }) {
      // The one Verify service: admitted per API key (as the console admits per person or address), then the
      // body is read up to the one Verify cap.
      try {
        return json(await verifyUpload(db, null, `api:${client.keyId}`, (cap) => readVerifyBody(req, cap)));
      } catch (error) {
        const refusal = verifyRefusal(error);
        if (!refusal) throw error;
        const code = { 400: "invalid_input", 413: "payload_too_large", 429: "rate_limited", 503: "busy" }[refusal.status] ?? "refused";
        throw new ApiError(refusal.status, code, refusal.message, refusal.headers);
      }
    },
  }),
];
