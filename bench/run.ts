/**
 * `npm run bench` — every benchmark, each printing its numbers beside a baseline measured in the same run
 * (ratios, not absolute times, are what compare across machines). `npm run bench -- prompt-gate` runs one.
 */
import { pathToFileURL } from "node:url";

const BENCHES = {
  "prompt-gate": "./prompt-gate.ts",
  "post-gate": "./post-gate.ts",
  "ml-core": "./ml-core.ts",
  "known-hashes": "./known-hashes.ts",
  "ml-models": "./ml-models.ts",
  likeness: "./likeness.ts",
  provenance: "./provenance.ts",
} as const;

async function main(selected: string[]): Promise<void> {
  const names = selected.length > 0 ? selected : Object.keys(BENCHES);
  for (const name of names) {
    const file = BENCHES[name as keyof typeof BENCHES];
    if (!file) throw new Error(`unknown bench ${name}; choose from ${Object.keys(BENCHES).join(", ")}`);
    console.log(`\n=== ${name} ===`);
    const started = performance.now();
    const mod = (await import(new URL(file, import.meta.url).href)) as { run: () => Promise<unknown> };
    await mod.run();
    console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
