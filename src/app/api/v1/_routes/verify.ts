/**
 * POST /verify: a platform checks any file's Content Credentials (the same service as the console's Verify
 * page), including the soft-binding lookup for files whose credentials were stripped.
 */
import { explainUpload } from "@/server/admin/verify";
import { getDb } from "@/server/db";
import { ApiError, errorBodySchema, json, readBytes, route, type RouteSpec } from "@/server/platform/http";
import { MediaTooLargeError } from "@/server/provenance";
import { provenance } from "@/server/provenance/instance";

const VERIFY_MAX_BYTES = () => Math.min(Number(process.env.CLEARANCE_MAX_MEDIA_BYTES ?? 200 * 1024 * 1024), 200 * 1024 * 1024);

export const verifyRoutes: readonly RouteSpec[] = [
  route({
    method: "POST",
    path: "/verify",
    operationId: "verifyFile",
    summary: "Check a file's Content Credentials",
    description:
      "The body is the file (any type; MP4, PNG and JPEG can carry credentials). The answer's `report.state` is " +
      "`trusted`, `valid_untrusted`, `invalid` or `none`, with every c2pa-rs status code explained; `softBinding` names " +
      "the Clearance render a credential-less file looks like.",
    scope: "verify",
    request: { media: ["application/octet-stream", "video/mp4", "image/png", "image/jpeg"] },
    responses: {
      200: { description: "The verification report" },
      400: { description: "Empty body", schema: errorBodySchema },
      413: { description: "Larger than the limit", schema: errorBodySchema },
    },
    async handle({ req }) {
      const bytes = await readBytes(req, VERIFY_MAX_BYTES());
      if (bytes.byteLength === 0) throw new ApiError(400, "invalid_input", "the body is empty: send the file's bytes");
      const [db, p] = await Promise.all([getDb(), provenance()]);
      try {
        const result = await explainUpload(db, null, { bytes, mimeType: req.headers.get("content-type") ?? undefined }, { verify: p.verify });
        return json(result);
      } catch (error) {
        if (error instanceof MediaTooLargeError) throw new ApiError(413, "too_large", error.message);
        throw error;
      }
    },
  }),
];
