/**
 * Pieces the stages' evidence schemas share. Only zod and pure constants here: the schemas are read by the
 * console's review components too (through moderation/evidence.ts), so nothing that loads a model may be imported.
 */
import { z } from "zod";
import { DIHEDRAL } from "../../ml/pdq/algorithm";

/** Only inline images: a thumbnail in evidence can never make the browser fetch something. */
export const INLINE_IMAGE = /^data:(image\/(?:jpeg|png|webp));base64,([A-Za-z0-9+/=]+)$/;
export const inlineImage = z.string().regex(INLINE_IMAGE);

export const count = z.int().nonnegative();
export const frameIndex = z.int().nonnegative();
export const seconds = z.number().nonnegative();
/** Which of a frame's 8 PDQ orientations matched: "orig", or e.g. "flipx" for a mirrored copy. */
export const dihedral = z.enum(DIHEDRAL);
/** Character offsets in the prompt, [start, end). */
export const span = { start: z.int().nonnegative(), end: z.int().nonnegative() };
