/**
 * Issue 9, "Security headers": every page (and API response) carries a CSP with frame-ancestors 'none',
 * X-Frame-Options DENY, nosniff and a Referrer-Policy; session cookies are Secure behind TLS; trustHost comes
 * from configuration, not hard-coded. (The production e2e, tests/e2e/production.test.ts, reads them off the
 * built server's responses.)
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import nextConfig from "../../next.config";
import { authSettings } from "@/server/auth/auth-settings";

describe("response headers", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("apply to every path, with framing forbidden, nosniff and a referrer policy", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    expect(all).toBeDefined();
    const h = Object.fromEntries(all!.headers.map((x) => [x.key.toLowerCase(), x.value]));
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toContain("object-src 'none'");
    expect(h["content-security-policy"]).not.toContain("unsafe-eval");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });
});

describe("session settings", () => {
  it("does not trust the Host header in production unless configured", () => {
    expect(authSettings({ NODE_ENV: "production" }).trustHost).toBe(false);
    expect(authSettings({ NODE_ENV: "production", AUTH_TRUST_HOST: "true" }).trustHost).toBe(true);
    expect(authSettings({ NODE_ENV: "production", AUTH_URL: "https://clearance.example.org" }).trustHost).toBe(true);
    expect(authSettings({ NODE_ENV: "development" }).trustHost).toBe(true);
  });

  it("marks session cookies Secure behind TLS", () => {
    expect(authSettings({ NODE_ENV: "production", AUTH_URL: "https://clearance.example.org" }).secureCookies).toBe(true);
    expect(authSettings({ NODE_ENV: "production", CLEARANCE_SECURE_COOKIES: "true" }).secureCookies).toBe(true);
    expect(authSettings({ NODE_ENV: "production", CLEARANCE_SECURE_COOKIES: "false", AUTH_URL: "https://x.example" }).secureCookies).toBe(false);
    // Neither: Auth.js decides per request from the protocol (X-Forwarded-Proto behind a trusted proxy).
    expect(authSettings({ NODE_ENV: "production" }).secureCookies).toBeUndefined();
  });
});
