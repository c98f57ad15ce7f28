import NextAuth from "next-auth";
import type { Role } from "../db/schema";
import type { SessionUser } from "../trpc/init";
import { authConfig } from "./config";
import { authSecret } from "./secret";

export const { auth, handlers, signIn, signOut } = NextAuth(() => ({ ...authConfig, secret: authSecret() }));
// Lazy: the secret is read at the first request, not while `next build` collects pages.

/** The signed-in console user, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const u = session?.user as { id?: string; email?: string | null; name?: string | null; role?: Role } | undefined;
  if (!u?.id || !u.role) return null;
  return { id: u.id, email: u.email ?? "", name: u.name ?? "", role: u.role };
}
