/** Platform API keys: shown once, stored as a SHA-256 hash, each scoped to what it may do. */
import { createHash, randomBytes } from "node:crypto";

export const API_SCOPES = [
  "renders:write",
  "renders:read",
  "cameos:write",
  "cameos:read",
  "works:write",
  "works:read",
  "verify",
  "webhooks:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_KEY_PREFIX = "clr_";

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString("base64url");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What the console shows to tell keys apart without revealing them. */
export function displayPrefix(key: string): string {
  return key.slice(0, 10);
}

/** The documented local-development key (README); the seed refuses it in production. */
export const DEFAULT_DEV_API_KEY = "clr_dev_local_only_0123456789abcdef";
