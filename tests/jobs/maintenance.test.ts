import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { jobs } from "@/server/db/schema";
import { MAINTENANCE_PERIOD_MS, MAINTENANCE_QUEUE, maintenanceHandler, scheduleMaintenance } from "@/server/moderation/maintenance";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

it("schedules one maintenance run per slot however many workers ask, and each run schedules the next", async () => {
  const now = Date.UTC(2026, 0, 1, 12, 2);
  await scheduleMaintenance(database.db, now);
  await scheduleMaintenance(database.db, now + 1000);
  const queued = await database.db.select().from(jobs).where(eq(jobs.queue, MAINTENANCE_QUEUE));
  expect(queued).toHaveLength(1);
  expect(queued[0]!.runAt.getTime()).toBe((Math.floor(now / MAINTENANCE_PERIOD_MS) + 1) * MAINTENANCE_PERIOD_MS);

  const controller = new AbortController();
  await maintenanceHandler(queued[0]!, { signal: controller.signal, heartbeat: async () => {}, db: database.db, workerId: "test" });
  const after = await database.db.select().from(jobs).where(eq(jobs.queue, MAINTENANCE_QUEUE));
  expect(after.length).toBe(2);
});
