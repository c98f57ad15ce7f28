/**
 * Verify: anyone (signed in or not) may check a file's Content Credentials. The upload is size-capped and
 * admitted per client and by load (verify/admission.ts); the browser page posts multipart to /api/verify, which
 * calls the same service under the same admission. Here the file comes as base64.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { consoleProvenance } from "../../admin/provenance";
import { explainUpload } from "../../admin/verify";
import { MediaTooLargeError } from "../../provenance";
import { verifyAdmission, verifyClientKey, VerifyRefusedError } from "../../verify/admission";
import { publicProcedure, router } from "../init";

/** Uploads through tRPC are JSON: keep them small. Larger files go through /api/verify (multipart). */
export const VERIFY_TRPC_MAX_BYTES = 25 * 1024 * 1024;

export const verifyRouter = router({
  file: publicProcedure
    .input(
      z.object({
        base64: z.string().min(1).max(Math.ceil(VERIFY_TRPC_MAX_BYTES / 3) * 4 + 4),
        mimeType: z.string().max(100).optional(),
        fileName: z.string().max(300).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const bytes = new Uint8Array(Buffer.from(input.base64, "base64"));
      if (bytes.byteLength === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "The file is empty." });
      const provenance = await consoleProvenance();
      try {
        return await verifyAdmission().run(verifyClientKey(ctx.headers, ctx.user), () =>
          explainUpload(ctx.db, ctx.user, { bytes, mimeType: input.mimeType, fileName: input.fileName }, { verify: provenance.verify }),
        );
      } catch (error) {
        if (error instanceof MediaTooLargeError) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: error.message });
        if (error instanceof VerifyRefusedError) throw new TRPCError({ code: error.reason === "busy" ? "SERVICE_UNAVAILABLE" : "TOO_MANY_REQUESTS", message: error.message });
        throw error;
      }
    }),
});
