/**
 * `npm run bench -- known-hashes`: only the known-content hash list part of ml-core (multi-index vs linear scans at
 * 100,000 and 1,000,000 entries, and indexing an import from the checkpoint vs re-indexing the list), without the
 * model benchmarks around it.
 */
import { benchKnownHashes } from "./ml-core";

export async function run(): Promise<void> {
  console.log("Known-content hash lists (ratios are against baselines measured in this run)");
  await benchKnownHashes();
}
