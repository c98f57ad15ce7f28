import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// End-to-end tests: the built console (`next start`) driven by headless Debian Chromium.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // One server, one browser at a time: the flows share the console's database.
    fileParallelism: false,
    pool: "forks",
  },
});
