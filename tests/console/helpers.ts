/** The tRPC error code a call ends with, or "OK". */
export { codeOf } from "../helpers/callers";
