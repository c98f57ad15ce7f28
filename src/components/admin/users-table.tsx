"use client";
/** People and roles: search, filter by role, change a role (audited; it applies at the person's next sign-in). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Badge, EmptyState, Table, Td } from "@/components/ui";
import { Button, ErrorText, Input, Loading, Notice, Select } from "@/components/forms/controls";
import { useHotkey } from "@/components/forms/hooks";
import type { Role } from "@/server/db/schema";
import { useTRPC } from "@/trpc/react";

const ROLES: Role[] = ["admin", "moderator", "rights_holder", "creator"];
const ROLE_LABEL: Record<Role, string> = { admin: "Admin", moderator: "Moderator", rights_holder: "Rights holder", creator: "Creator" };

export function UsersTable({ selfId }: { selfId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkey("/", () => searchRef.current?.focus());
  const users = useQuery(trpc.admin.users.queryOptions({ search: search || undefined, role: role || undefined }, { placeholderData: (prev) => prev }));
  const [done, setDone] = useState<string | null>(null);
  const setRoleM = useMutation(
    trpc.admin.setRole.mutationOptions({
      onSuccess: async (r) => {
        setDone(`Role changed to ${ROLE_LABEL[r.role]}. It applies the next time they sign in.`);
        await qc.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
      },
    }),
  );

  const setDisabledM = useMutation(
    trpc.admin.setDisabled.mutationOptions({
      onSuccess: async (r) => {
        setDone(r.disabled ? "Account disabled: it can no longer sign in, and open sessions end now." : "Account enabled again.");
        await qc.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
      },
    }),
  );
  const resetM = useMutation(
    trpc.admin.resetPassword.mutationOptions({
      onSuccess: (r) => setDone(`One-time password (shown once, hand it over safely; it must be changed at the next sign-in): ${r.oneTimePassword}`),
    }),
  );

  return (
    <div>
      <div className="mb-3 flex items-center gap-2">
        <Input ref={searchRef} type="search" aria-label="Search people" placeholder="Search name, email or platform id…  (/)" value={search} onChange={(e) => setSearch(e.target.value)} className="w-80" />
        <Select aria-label="Filter by role" value={role} onChange={(e) => setRole(e.target.value as Role | "")}>
          <option value="">All roles</option>
          {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
        </Select>
        {users.isFetching && <span className="text-xs text-slate-500">Updating…</span>}
      </div>
      {done && <div className="mb-3"><Notice tone="success" testId="role-changed">{done}</Notice></div>}
      <ErrorText error={setRoleM.error ?? setDisabledM.error ?? resetM.error ?? users.error} />
      {users.isPending ? (
        <Loading />
      ) : !users.data || users.data.length === 0 ? (
        <EmptyState title="Nobody matches">Try another search or role.</EmptyState>
      ) : (
        <Table head={["Name", "Email", "Role", "Platform id", "Since", "Account"]} testId="users-table">
          {users.data.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <Td className="font-medium">{u.name}{u.disabledAt && <span className="ml-2"><Badge value="disabled" /></span>}</Td>
              <Td>{u.email ?? "—"}</Td>
              <Td>
                <Select
                  aria-label={`Role of ${u.name}`}
                  value={u.role}
                  disabled={setRoleM.isPending || u.id === selfId}
                  title={u.id === selfId ? "You cannot change your own role" : undefined}
                  onChange={(e) => {
                    setDone(null);
                    setRoleM.mutate({ userId: u.id, role: e.target.value as Role });
                  }}
                >
                  {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
                </Select>
              </Td>
              <Td className="font-mono text-xs">{u.externalId ?? "—"}</Td>
              <Td className="text-xs text-slate-500">{u.createdAt.toISOString().slice(0, 10)}</Td>
              <Td>
                {u.email && u.id !== selfId && (
                  <span className="flex gap-1">
                    <Button
                      data-testid="toggle-disabled"
                      busy={setDisabledM.isPending}
                      onClick={() => {
                        setDone(null);
                        setDisabledM.mutate({ userId: u.id, disabled: !u.disabledAt });
                      }}
                    >
                      {u.disabledAt ? "Enable" : "Disable"}
                    </Button>
                    <Button
                      data-testid="reset-password"
                      busy={resetM.isPending}
                      onClick={() => {
                        setDone(null);
                        resetM.mutate({ userId: u.id });
                      }}
                    >
                      Reset password
                    </Button>
                  </span>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
