import Link from "next/link";
import type { ReactNode } from "react";
import { navFor } from "@/components/nav";
import { signOut } from "@/server/auth";
import { requireRole } from "@/server/auth/guard";

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/signin" });
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireRole();
  return (
    <div className="flex min-h-screen">
      <nav aria-label="Workspaces" className="w-48 shrink-0 border-r border-slate-200 bg-white p-3">
        <Link href="/" className="mb-4 block px-2 text-base font-semibold">Clearance</Link>
        <ul className="space-y-0.5">
          {navFor(user.role).map((item) => (
            <li key={item.href}>
              <Link href={item.href} className="block rounded px-2 py-1.5 text-slate-700 hover:bg-slate-100">{item.label}</Link>
            </li>
          ))}
        </ul>
        <div className="mt-6 border-t border-slate-200 px-2 pt-3 text-xs text-slate-500">
          <p data-testid="whoami" className="font-medium text-slate-700">{user.name}</p>
          <p>{user.role.replace("_", " ")}</p>
          <form action={signOutAction}><button className="mt-2 underline">Sign out</button></form>
        </div>
      </nav>
      <main className="min-w-0 flex-1 p-6">{children}</main>
    </div>
  );
}
