/**
 * When demo data (accounts with the README's password, the every-scope development API key) may exist.
 * Outside production always; in production only when an operator explicitly asks with CLEARANCE_DEMO=1,
 * and then loudly, because anyone who has read the README can sign in.
 */
import { settingsSource } from "@/env";
export interface DemoPermission {
  allowed: boolean;
  /** Why not, or (allowed in production) the warning to print. */
  message?: string;
}

type EnvLike = Readonly<Record<string, string | undefined>>;

export const isProduction = (env: EnvLike = settingsSource()) => env.NODE_ENV === "production";

/** The operator explicitly asked for demo data. */
export const demoForced = (env: EnvLike = settingsSource()) => env.CLEARANCE_DEMO === "1" || env.CLEARANCE_DEMO === "true";

export function demoDataPermission(env: EnvLike = settingsSource()): DemoPermission {
  if (!isProduction(env)) return { allowed: true };
  if (demoForced(env)) {
    return {
      allowed: true,
      message:
        "!!! CLEARANCE_DEMO=1 under NODE_ENV=production: creating DEMO ACCOUNTS whose password is published in the README. " +
        "Never do this on a server real people use. !!!",
    };
  }
  return {
    allowed: false,
    message:
      "Refusing demo data: NODE_ENV=production, and the demo accounts' password is published in the README. " +
      "Create the first admin with `npm run admin:create -- --email you@example.com` instead " +
      "(or set CLEARANCE_DEMO=1 to force demo data on a throwaway server).",
  };
}
