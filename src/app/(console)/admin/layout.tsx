import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/tabs";
import { PageHeader } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireRole("admin");
  return (
    <>
      <PageHeader title="Admin" subtitle="People, platform access, policy and signing. Every change here is audited." />
      <AdminTabs />
      {children}
    </>
  );
}
