/** Why a piece of media was refused. Callers map codes to verdicts/HTTP statuses; messages are for people. */
export type MediaErrorCode = "unsupported_type" | "corrupt" | "too_long" | "too_large" | "dimensions_too_large" | "empty" | "hidden_data";

export class MediaError extends Error {
  override name = "MediaError";
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const isMediaError = (e: unknown): e is MediaError => e instanceof MediaError;
