/**
 * Whether an error means the database could not be reached (the connection dropped, the server restarted or is
 * starting), as opposed to a query that the database refused. Pure: it reads the codes that postgres.js, Node's
 * sockets and PostgreSQL itself put on errors, through Drizzle's wrapper (`cause`). Work that meets such an error
 * is worth retrying as it was; a refused query is not.
 */
const DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);
/** admin_shutdown, crash_shutdown, cannot_connect_now (57P0x); connection exceptions are class 08. */
const SERVER_STATES = /^(57P0[123]|08...)$/;

export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    // An HTTP call that failed (an inference server or engine down: fetch's "fetch failed", wrapped by their
    // clients) is not the database: that stage fails closed and holds the render instead of retrying the job.
    if (e instanceof TypeError && e.message === "fetch failed") return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (DRIVER_CODES.has(code) || SERVER_STATES.test(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
