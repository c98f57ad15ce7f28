/**
 * Every tRPC procedure, called as every kind of caller: the role guard answers before anything else does.
 * The table below is the access policy in one place; a procedure added without an entry fails this test, so
 * no door is ever left unchecked by accident. Ownership inside a role (my works, my cameos) is tested per area.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/server/db/schema";
import { appRouter } from "@/server/trpc/root";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { callerAs, firstOfRole } from "../helpers/callers";

type Access = "public" | "signed_in" | readonly Role[];

const MODERATION: readonly Role[] = ["moderator", "admin"];
const RIGHTS: readonly Role[] = ["rights_holder", "admin"];
const CREATOR: readonly Role[] = ["creator", "admin"];
const ADMIN: readonly Role[] = ["admin"];

const ACCESS: Record<string, Access> = {
  "session.me": "public",
  "session.changePassword": "signed_in", // one's own password; ownership is the session itself
  "verify.file": "public", // the public Verify page
  "renders.byId": "signed_in", // requester, moderators and admins; ownership is checked inside

  "queue.list": MODERATION,
  "queue.counts": MODERATION,
  "queue.facets": MODERATION,
  "dashboard.get": MODERATION,
  "review.detail": MODERATION,
  "review.reasonCodes": MODERATION,
  "review.claim": MODERATION,
  "review.renew": MODERATION,
  "review.release": MODERATION,
  "review.next": MODERATION,
  "review.decide": MODERATION,
  "review.reveal": MODERATION,
  "appeals.list": MODERATION,
  "appeals.claim": MODERATION,
  "appeals.release": MODERATION,
  "appeals.decide": MODERATION,
  "notices.list": MODERATION,
  "notices.decide": MODERATION,

  "works.list": RIGHTS,
  "works.byId": RIGHTS,
  "works.create": RIGHTS,
  "works.update": RIGHTS,
  "works.bulkImport": RIGHTS,
  "works.addReference": RIGHTS,
  "works.matches": RIGHTS,
  "works.approve": ADMIN,
  "notices.file": RIGHTS,
  "notices.mine": RIGHTS,
  "notices.candidates": RIGHTS,
  "notices.courtAction": RIGHTS,

  "cameos.mine": CREATOR,
  "cameos.byHandle": CREATOR,
  "cameos.restrictions": CREATOR,
  "cameos.usable": CREATOR,
  "cameos.register": CREATOR,
  "cameos.enroll": CREATOR,
  "cameos.update": CREATOR,
  "cameos.setPaused": CREATOR,
  "cameos.revoke": CREATOR,
  "cameos.renders": CREATOR,
  "cameos.removeRender": CREATOR,
  "renders.mine": CREATOR,
  "renders.create": CREATOR,
  "appeals.mine": CREATOR,
  "appeals.appealable": CREATOR,
  "appeals.file": CREATOR,
  "notices.againstMe": CREATOR,
  "notices.counter": CREATOR,

  "admin.users": ADMIN,
  "admin.setRole": ADMIN,
  "admin.setDisabled": ADMIN,
  "admin.resetPassword": ADMIN,
  "admin.apiKeys.list": ADMIN,
  "admin.apiKeys.create": ADMIN,
  "admin.apiKeys.revoke": ADMIN,
  "admin.apiKeys.scopes": ADMIN,
  "admin.webhooks.list": ADMIN,
  "admin.webhooks.setActive": ADMIN,
  "admin.hashLists.list": ADMIN,
  "admin.hashLists.create": ADMIN,
  "admin.hashLists.import": ADMIN,
  "admin.hashLists.setEnabled": ADMIN,
  "admin.signer": ADMIN,
  "admin.heldEnrollments.list": ADMIN,
  "admin.heldEnrollments.decide": ADMIN,
  "admin.protectedFaces.list": ADMIN,
  "admin.protectedFaces.add": ADMIN,
  "admin.protectedFaces.remove": ADMIN,
  "audit.list": ADMIN,
  "audit.vocabulary": ADMIN,
  "policy.categories": ADMIN,
  "policy.current": ADMIN,
  "policy.versions": ADMIN,
  "policy.updateCategory": ADMIN,
  "transparency.export": ADMIN,
  "system.models": ADMIN,
  "system.inference": ADMIN,
  "system.clipThresholds": ADMIN,
};

const ROLES: readonly Role[] = ["creator", "rights_holder", "moderator", "admin"];
const procedurePaths = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).sort();

type Outcome = "UNAUTHORIZED" | "FORBIDDEN" | "past the guard";

/** Calls a procedure by its dotted path with an empty input; only the guard's answer matters here. */
async function outcomeOf(caller: unknown, path: string): Promise<Outcome> {
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    await (procedure as (input: unknown) => Promise<unknown>)({});
    return "past the guard";
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN")) return error.code;
    if (error instanceof TRPCError || (error instanceof Error && "code" in error)) return "past the guard"; // e.g. BAD_REQUEST from zod
    throw error; // anything else is a bug worth seeing (a 500 on empty input)
  }
}

function expected(access: Access, role: Role | null): Outcome {
  if (access === "public") return "past the guard";
  if (role === null) return "UNAUTHORIZED";
  if (access === "signed_in") return "past the guard";
  return access.includes(role) ? "past the guard" : "FORBIDDEN";
}

describe("access matrix", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("declares every procedure the router has, and none it does not", () => {
    expect(procedurePaths).toEqual(Object.keys(ACCESS).sort());
  });

  it.each([null, ...ROLES])("answers a %s caller as the table says, for every procedure", async (role) => {
    const caller = callerAs(database.db, role === null ? null : firstOfRole(role));
    const got: Record<string, Outcome> = {};
    const want: Record<string, Outcome> = {};
    for (const path of procedurePaths) {
      got[path] = await outcomeOf(caller, path);
      want[path] = expected(ACCESS[path] ?? [], role);
    }
    expect(got).toEqual(want);
  });
});
