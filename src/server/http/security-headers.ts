/**
 * Headers every response carries (next.config.ts applies them to every path, pages and API alike):
 * a Content-Security-Policy that forbids framing (clickjacking) and foreign scripts, objects and form targets,
 * X-Frame-Options DENY for browsers without frame-ancestors, nosniff, and a Referrer-Policy that keeps paths
 * (render ids, review items) out of other sites' logs.
 *
 * Next.js's App Router inlines its hydration data as <script> tags, so script-src needs 'unsafe-inline' unless a
 * per-request nonce is threaded through (a later step); framing, plugins and exfiltration targets are still shut.
 */
export function contentSecurityPolicy(production: boolean): string {
  return [
    "default-src 'self'",
    // Development's React refresh evaluates code; production does not need eval.
    `script-src 'self' 'unsafe-inline'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${production ? "" : " ws: wss:"}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(production: boolean): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(production) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
}
