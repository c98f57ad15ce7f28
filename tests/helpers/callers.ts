import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/errors";
import type { Db } from "@/server/db/client";
import { DEMO_USERS } from "@/server/db/seed";
import type { Role } from "@/server/db/schema";
import type { SessionUser } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";

export function demoUser(email: string): SessionUser {
  const u = DEMO_USERS.find((x) => x.email === email);
  if (!u) throw new Error(`no demo user ${email}`);
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

export const firstOfRole = (role: Role): SessionUser => {
  const u = DEMO_USERS.find((x) => x.role === role);
  if (!u) throw new Error(`no demo ${role}`);
  return demoUser(u.email);
};

/** A tRPC caller as a given person (or signed out), exactly as the console's requests run. */
export const callerAs = (db: Db, user: SessionUser | null) => createCaller({ db, user });

/** The error code a call ends with (a tRPC code, or a moderation service's), or "OK". */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError || e instanceof DomainError) return e.code;
    throw e;
  }
}
