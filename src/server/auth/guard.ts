import { redirect } from "next/navigation";
import type { Role } from "../db/schema";
import type { SessionUser } from "../trpc/init";
import { currentUser } from "./index";

/**
 * For server components: signed out → sign-in page; a one-time password still to replace → the password page;
 * wrong role → the forbidden page.
 */
export async function requireRole(...roles: Role[]): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  if (user.mustChangePassword) redirect("/account/password");
  if (roles.length > 0 && !roles.includes(user.role)) redirect("/forbidden");
  return user;
}

/** Where each role lands after signing in. */
const HOME: Record<Role, string> = { admin: "/admin", moderator: "/queue", rights_holder: "/works", creator: "/renders" };
export const homeFor = (role: Role): string => HOME[role];
