import { eq } from "drizzle-orm";
import NextAuth from "next-auth";
import { cache } from "react";
import { getDb } from "../db";
import { users } from "../db/schema";
import type { SessionUser } from "../trpc/init";
import { authConfig } from "./config";
import { authSecret } from "./secret";

// Lazy: the secret is read at the first request, not while `next build` collects pages.
export const { auth, handlers, signIn, signOut } = NextAuth(() => ({ ...authConfig, secret: authSecret() }));

/**
 * The signed-in console user, or null. The session token only says who you are; your role and whether
 * your account is still enabled are read from the database on every request, so a role change or a
 * disabled account takes effect at once, not when the token expires.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = (session?.user)?.id;
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [user] = await (await getDb()).select().from(users).where(eq(users.id, id));
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email ?? "", name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
});
