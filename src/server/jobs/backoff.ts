/** Retry timing, pure so it can be tested and documented without a database. */

/** Longest wait between two attempts: past this, waiting longer only delays the final verdict. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** Exponential backoff: 2^attempts seconds after the attempt that just failed (2 s, 4 s, 8 s, …), capped. */
export function defaultRetryDelayMs(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts, 30));
  return Math.min(2 ** exponent * 1000, MAX_RETRY_DELAY_MS);
}

export type FailureDecision = { state: "queued"; delayMs: number } | { state: "failed" };

/** What a failed attempt leads to: another try later, or the end (a visible `failed` job). */
export function decideFailure(
  job: { attempts: number; maxAttempts: number },
  retryable: boolean,
  delayMs: number = defaultRetryDelayMs(job.attempts),
): FailureDecision {
  if (!retryable || job.attempts >= job.maxAttempts) return { state: "failed" };
  // Clamped to what an SQL integer holds (~24 days).
  return { state: "queued", delayMs: Math.min(2_147_483_647, Math.max(0, Math.round(delayMs))) };
}

/** Errors are stored for people to read; a stack trace or a huge response body is cut down. */
export function errorText(error: unknown, limit = 2000): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
