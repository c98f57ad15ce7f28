/**
 * The harness's own PostgreSQL database: created fresh (migrated and seeded with the demo data) on the shared
 * server, an API key with every scope for the load, the 1,000,000-item queue seeded in one statement, and the
 * bare `SELECT 1` round trip every database figure is compared with.
 */
import type postgres from "postgres";
import { createApiKey } from "@/server/users/api-keys";
import { connectPostgres, openPostgres, type Database } from "@/server/db/client";
import { withDatabaseName } from "@/server/db/postgres-url";
import { DEMO_USERS, seed } from "@/server/db/seed";
import { API_SCOPES } from "@/server/users/api-key-format";
import { summarise, type LatencySummary } from "./stats";


export interface LoadDatabase {
  url: string;
  /** A key with every scope, created for this run. */
  apiKey: string;
  drop(): Promise<void>;
}

async function onAdmin<T>(adminUrl: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = connectPostgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function createLoadDatabase(adminUrl: string, name: string): Promise<LoadDatabase> {
  await onAdmin(adminUrl, async (sql) => {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"`);
  });
  const url = withDatabaseName(adminUrl, name);
  const database: Database = openPostgres(url, { max: 2 });
  try {
    await database.migrate();
    // The demo accounts (a moderator signs in for the queue page) and the demo works, cameos and policy.
    await seed(database.db, { env: { NODE_ENV: "test" } });
    const admin = DEMO_USERS.find((u) => u.role === "admin")!;
    const { key } = await createApiKey(database.db, { userId: admin.id, label: "load harness" }, { name: "load", scopes: [...API_SCOPES] });
    return {
      url,
      apiKey: key,
      drop: () => onAdmin(adminUrl, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`).then(() => undefined)),
    };
  } finally {
    await database.close();
  }
}

/** The floor under every request that touches the database: one round trip that does nothing. */
export async function selectOneRoundTrip(url: string, samples = 2000): Promise<LatencySummary> {
  const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 100; i++) await sql`select 1`;
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await sql`select 1`;
      times.push(performance.now() - started);
    }
    return summarise(times);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * `count` held renders, each with an open review item, in one INSERT … SELECT over generate_series (a CTE
 * inserts the renders and hands their ids to the items): priorities, reasons and ages spread like a real queue.
 */
export async function seedReviewItems(url: string, count: number): Promise<number> {
  const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
  const requester = DEMO_USERS.find((u) => u.role === "creator")!.id;
  try {
    await sql.unsafe(
      `with held as (
         insert into renders (requester_id, prompt, status, verdict, policy_version, created_at, decided_at)
         select $1::uuid, 'seeded load render ' || g, 'held', 'review', 'p1',
                now() - (g % 720) * interval '1 hour', now() - (g % 720) * interval '1 hour'
         from generate_series(1, $2::int) as g
         returning id, created_at
       )
       insert into review_items (render_id, kind, reason, category, stage, priority, sla_due_at, created_at)
       select id, 'gate_hold',
              (array['classifier_flag', 'stage_error', 'likeness_without_consent', 'ip_work_match'])[1 + (hashtext(id::text) & 3)],
              (array['violence', 'sexual', null, 'self_harm'])[1 + ((hashtext(id::text) >> 2) & 3)],
              'frame_classifiers', ((hashtext(id::text) >> 4) & 3) * 10, created_at + interval '24 hours', created_at
       from held`,
      [requester, count],
    );
    await sql`analyze renders`;
    await sql`analyze review_items`;
    const [row] = await sql<{ n: string }[]>`select count(*)::text as n from review_items where state = 'open'`;
    return Number(row?.n ?? 0);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
