/**
 * How Clearance connects to PostgreSQL (issue 11, "make the request path cheap"): a DATABASE_URL may name the
 * server's Unix socket the libpq way, and the queries Drizzle sends are named statements, parsed once per
 * connection and then sent in one round trip instead of two.
 */
import { existsSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, rowsOf, type Database } from "@/server/db/client";
import { NAMED_STATEMENT_MAX_CHARS, shouldName } from "@/server/db/named-statements";
import { isPostgresUrl, postgresTarget } from "@/server/db/postgres-url";
import { renders, users } from "@/server/db/schema";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";

describe("DATABASE_URL", () => {
  it("reads a socket directory the way libpq writes it", () => {
    expect(postgresTarget("postgres://app@/clearance?host=/var/run/postgresql")).toEqual({
      url: "postgres://app@localhost/clearance",
      path: "/var/run/postgresql/.s.PGSQL.5432",
    });
    expect(postgresTarget("postgresql:///clearance?host=/run/pg/&port=5433&sslmode=disable")).toEqual({
      url: "postgresql://localhost/clearance?sslmode=disable",
      path: "/run/pg/.s.PGSQL.5433",
    });
  });

  it("leaves TCP addresses alone", () => {
    const url = "postgres://app:secret@db.internal:6432/clearance?sslmode=require";
    expect(postgresTarget(url)).toEqual({ url });
    expect(postgresTarget("postgres://app@db.internal/clearance?host=db2.internal")).toEqual({ url: "postgres://app@db.internal/clearance?host=db2.internal" });
  });

  it("accepts only postgres URLs", () => {
    expect(isPostgresUrl("postgres://app@/clearance?host=/var/run/postgresql")).toBe(true);
    expect(isPostgresUrl("postgresql://app@127.0.0.1:5432/clearance")).toBe(true);
    expect(isPostgresUrl("mysql://app@127.0.0.1/clearance")).toBe(false);
    expect(isPostgresUrl("not a url")).toBe(false);
  });
});

describe("named statements", () => {
  it("names short statements and leaves bulk text unnamed", () => {
    expect(shouldName('select * from "users" where "id" = $1')).toBe(true);
    expect(shouldName("x".repeat(NAMED_STATEMENT_MAX_CHARS + 1))).toBe(false);
  });
});

const socketDir = "/var/run/postgresql";

describe.skipIf(!usingPostgres)("on PostgreSQL", () => {
  let test: TestDatabase;
  let single: Database;

  beforeAll(async () => {
    test = await createTestDatabase();
    // One connection, so the prepared statements this test looks for are on the connection it asks.
    single = openPostgres(test.url!, { max: 1 });
  });
  afterAll(async () => {
    await single?.close();
    await test?.close();
  });

  const namedStatements = async (db: Database["db"], like: string) => {
    const rows = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_prepared_statements where not from_sql and statement like ${like}`));
    return rows[0]!.n;
  };

  it("prepares Drizzle's parameterised queries once per connection, in and out of transactions", async () => {
    const [someone] = await single.db.select({ id: users.id }).from(users).limit(1);
    for (let i = 0; i < 3; i++) await single.db.select().from(users).where(eq(users.id, someone!.id));
    await single.db.transaction(async (tx) => {
      await tx.select({ id: renders.id }).from(renders).where(eq(renders.prompt, "named statements test"));
      expect(await namedStatements(tx as unknown as Database["db"], '%from "renders" where "renders"."prompt" = $1%')).toBe(1);
    });
    // Three runs of one query: one statement on the server.
    expect(await namedStatements(single.db, '%from "users" where "users"."id" = $1%')).toBe(1);
  });

  it.skipIf(!existsSync(`${socketDir}/.s.PGSQL.5432`))("connects over the Unix socket a libpq-style URL names", async () => {
    const tcp = new URL(test.url!);
    const viaSocket = openPostgres(`postgres://${tcp.username || "postgres"}@${tcp.pathname}?host=${socketDir}`, { max: 1 });
    try {
      const rows = rowsOf<{ addr: string | null; db: string }>(await viaSocket.db.execute(sql`select inet_server_addr() as addr, current_database() as db`));
      // inet_server_addr() is null on a Unix-domain connection.
      expect(rows[0]).toEqual({ addr: null, db: tcp.pathname.slice(1) });
    } finally {
      await viaSocket.close();
    }
  });
});
