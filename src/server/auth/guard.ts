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
export function homeFor(role: Role): string {
  switch (role) {
    case "admin":
      return "/admin";
    case "moderator":
      return "/queue";
    case "rights_holder":
      return "/works";
    case "creator":
      return "/renders";
  }
}
