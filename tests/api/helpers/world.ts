/**
 * One API test file's world: a fresh seeded database installed as the process-wide one (so the route
 * handlers' getDb() returns it) and the API served over HTTP. Call from beforeAll; close in afterAll.
 */
import { setDatabase } from "@/server/db";
import { resetEnvCache } from "@/env";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { apiClient, DEV_KEY, type Api } from "./client";
import { startApiServer, type TestServer } from "./server";

export interface ApiWorld {
  database: TestDatabase;
  server: TestServer;
  /** fetch with the seeded development key (every scope). */
  api: Api;
  close(): Promise<void>;
}

export async function startApiWorld(env: Record<string, string> = {}): Promise<ApiWorld> {
  Object.assign(process.env, env);
  resetEnvCache();
  const database = await createTestDatabase();
  setDatabase(database);
  const server = await startApiServer();
  return {
    database,
    server,
    api: apiClient(server.url, DEV_KEY),
    async close() {
      await server.close();
      await database.close();
    },
  };
}
