"use client";
/** The admin workspace's sections; the current one is marked for screen readers too. */
import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/admin", label: "Users & roles" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/policy", label: "Classifier policy" },
  { href: "/admin/hash-lists", label: "Hash lists" },
  { href: "/admin/faces", label: "Protected faces" },
  { href: "/admin/signing", label: "Signing certificate" },
  { href: "/admin/models", label: "Models" },
];

export function AdminTabs() {
  const path = usePathname();
  return (
    <nav aria-label="Admin sections" className="mb-5 flex gap-1 border-b border-slate-200">
      {TABS.map((t) => {
        const current = t.href === "/admin" ? path === "/admin" : path.startsWith(t.href);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={current ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 ${current ? "border-slate-900 font-medium text-slate-900" : "border-transparent text-slate-500 hover:text-slate-800"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
