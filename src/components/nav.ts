import type { Role } from "@/server/db/schema";

export interface NavItem {
  href: string;
  label: string;
  roles: Role[];
}

/** One navigation, filtered by role: people only see the workspaces they can use. */
export const NAV: NavItem[] = [
  { href: "/queue", label: "Queue", roles: ["moderator", "admin"] },
  { href: "/appeals", label: "Appeals", roles: ["moderator", "admin"] },
  { href: "/dashboard", label: "Dashboard", roles: ["moderator", "admin"] },
  { href: "/works", label: "Works", roles: ["rights_holder", "admin"] },
  { href: "/matches", label: "Matches", roles: ["rights_holder", "admin"] },
  { href: "/notices", label: "Takedown notices", roles: ["rights_holder"] },
  { href: "/cameos", label: "Cameos", roles: ["creator"] },
  { href: "/renders", label: "My renders", roles: ["creator"] },
  { href: "/verify", label: "Verify", roles: ["admin", "moderator", "rights_holder", "creator"] },
  { href: "/audit", label: "Audit", roles: ["admin"] },
  { href: "/admin", label: "Admin", roles: ["admin"] },
  { href: "/account/password", label: "Password", roles: ["admin", "moderator", "rights_holder", "creator"] },
];

export const navFor = (role: Role) => NAV.filter((item) => item.roles.includes(role));
