/**
 * Session settings from configuration rather than hard-coded:
 * - trustHost: believe the Host / X-Forwarded-Host header for callback URLs. Only with AUTH_TRUST_HOST=true
 *   (behind a proxy that sets it) or when AUTH_URL names the site; always in development.
 * - secureCookies: session cookies carry `Secure` (and the __Secure- prefix) when the site is served over TLS:
 *   always when AUTH_URL starts with https:// or CLEARANCE_SECURE_COOKIES=true; otherwise (undefined) Auth.js
 *   decides per request from its protocol, which behind a trusted proxy includes X-Forwarded-Proto: https.
 *   CLEARANCE_SECURE_COOKIES=false turns it off.
 */
import { settingsSource } from "@/env";
type EnvLike = Readonly<Record<string, string | undefined>>;

export interface AuthSettings {
  trustHost: boolean;
  secureCookies: boolean | undefined;
}

const truthy = (v: string | undefined) => v === "true" || v === "1";

export function authSettings(env: EnvLike = settingsSource()): AuthSettings {
  const production = env.NODE_ENV === "production";
  const authUrl = env.AUTH_URL ?? env.NEXTAUTH_URL;
  const trustHost = truthy(env.AUTH_TRUST_HOST) || Boolean(authUrl) || !production;
  const secureSetting = env.CLEARANCE_SECURE_COOKIES;
  const secureCookies =
    secureSetting !== undefined && secureSetting !== "" ? truthy(secureSetting) : authUrl?.startsWith("https://") ? true : undefined;
  return { trustHost, secureCookies };
}
