/**
 * Verify: anyone (signed in or not) may check a file's Content Credentials, through the one Verify service
 * (verify/service.ts: one size cap, one admission). Here the file comes as base64 inside tRPC's JSON, whose body
 * is capped at JSON_BODY_LIMIT before it is read, so this door suits small files; the browser page posts
 * multipart to /api/verify for larger ones.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { JSON_BODY_LIMIT } from "../../http/limits";
import { BodyTooLargeError } from "../../http/body";
import { verifyClientKey } from "../../verify/admission";
import { verifyRefusal, verifyUpload } from "../../verify/service";
import { publicProcedure, router } from "../init";

const TRPC_CODE: Record<number, TRPCError["code"]> = { 400: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS", 503: "SERVICE_UNAVAILABLE" };

export const verifyRouter = router({
  file: publicProcedure
    .input(
      z.object({
        base64: z.string().min(1).max(Math.ceil(JSON_BODY_LIMIT / 3) * 4 + 4),
        mimeType: z.string().max(100).optional(),
        fileName: z.string().max(300).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        return await verifyUpload(ctx.db, ctx.user, verifyClientKey(ctx.headers, ctx.user), async (cap) => {
          // base64 is 4/3 of the bytes: refuse by length before decoding.
          if (Math.floor((input.base64.length * 3) / 4) > cap + 2) throw new BodyTooLargeError(cap);
          return { bytes: new Uint8Array(Buffer.from(input.base64, "base64")), mimeType: input.mimeType, fileName: input.fileName };
        });
      } catch (error) {
        const refusal = verifyRefusal(error);
        if (refusal) throw new TRPCError({ code: TRPC_CODE[refusal.status] ?? "BAD_REQUEST", message: refusal.message });
        throw error;
      }
    }),
});
