/** Shared by the security tests: a process that dies after a commit, textured media, a worker to finish jobs. */
import sharp from "sharp";
import { eq } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { renders } from "@/server/db/schema";
import type { JobHandler } from "@/server/jobs/types";
import { Worker } from "@/server/jobs/worker";

/**
 * The database as a process sees it that dies right after its first transaction commits: every later use
 * throws, as if the process had ended there. What the transaction wrote is all that survives.
 */
export function crashAfterCommit(db: Db): Db {
  let crashed = false;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (crashed) throw new Error("the process crashed after the commit");
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === "transaction" && typeof value === "function") {
        return async (...args: unknown[]) => {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          crashed = true;
          return result;
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A PNG with real texture (8×8-pixel blocks of deterministic noise), so PDQ finds it of good quality. */
export async function texturedPng(seed: number, size = 96): Promise<Uint8Array> {
  const raw = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = Math.imul(Math.floor(x / 8) * 73856093 ^ Math.floor(y / 8) * 19349663 ^ (seed + 1) * 83492791, 2654435761) >>> 24;
      raw.set([v, (v * 7) % 256, 255 - v], (y * size + x) * 3);
    }
  }
  return new Uint8Array(await sharp(raw, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
}

export async function statusOf(db: Db, renderId: string) {
  const [r] = await db.select().from(renders).where(eq(renders.id, renderId));
  return r!;
}

/** Runs a real worker with these handlers until `done()` holds (or 60 s pass), then stops it. */
export async function runWorkerUntil(db: Db, handlers: Record<string, JobHandler>, done: () => Promise<boolean>): Promise<boolean> {
  const worker = new Worker({ db, handlers, pollMs: 50, log: () => {} });
  worker.start();
  try {
    for (let i = 0; i < 1200; i++) {
      if (await done()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  } finally {
    await worker.stop();
  }
}
