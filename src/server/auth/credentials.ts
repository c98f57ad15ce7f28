/** Checks an email and password against the users table (pure of Next.js, so tests can call it). */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import type { SessionUser } from "../trpc/init";
import { verifyPassword } from "./password";

export async function checkCredentials(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!user?.passwordHash || user.disabledAt) return null;
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email ?? email, name: user.name, role: user.role };
}
