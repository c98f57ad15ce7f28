import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Tests deliver webhooks to receivers on 127.0.0.1: allow loopback explicitly (never the default; private,
    // link-local and metadata addresses stay refused). tests/security/outbound-requests.test.ts turns it off.
    env: { CLEARANCE_ALLOW_LOOPBACK_OUTBOUND: "1" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files run in parallel forks, but not so many that PGlite/ONNX starve each other.
    pool: "forks",
    maxWorkers: 2,
  },
});
