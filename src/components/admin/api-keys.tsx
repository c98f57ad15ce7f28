"use client";
/** Platform API keys: create (the key is shown once, with a copy button), list by prefix, revoke. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Notice, Section } from "@/components/forms/controls";
import { ConfirmDialog } from "@/components/forms/dialog";
import type { ApiScope } from "@/server/users/api-key-format";
import { useTRPC } from "@/trpc/react";

const SCOPE_HELP: Record<ApiScope, string> = {
  "renders:write": "request renders and submit output",
  "renders:read": "read renders and decisions",
  "cameos:write": "register, enroll and change cameos",
  "cameos:read": "read cameos",
  "works:write": "register works and references",
  "works:read": "read works",
  verify: "verify files",
  "webhooks:write": "register webhooks",
};

export function ApiKeys() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const keys = useQuery(trpc.admin.apiKeys.list.queryOptions());
  const scopes = useQuery(trpc.admin.apiKeys.scopes.queryOptions());
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<ApiScope[]>(["renders:write", "renders:read", "verify"]);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.admin.apiKeys.create.mutationOptions({
      onSuccess: async (r) => {
        setCreated({ name: r.name, key: r.key });
        setCopied(false);
        setName("");
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.apiKeys.revoke.mutationOptions({ onSuccess: async () => { setRevoking(null); await refresh(); } }));

  return (
    <>
      <Section title="Create a key" description="For the video platform's servers. The key is shown once; only its hash is stored.">
        <form
          className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, scopes: chosen });
          }}
        >
          <Field label="Name" hint="Who uses it, e.g. “platform production”">
            <Input name="keyName" required value={name} onChange={(e) => setName(e.target.value)} className="w-64" />
          </Field>
          <fieldset>
            <legend className="mb-1 text-sm font-medium text-slate-700">Scopes</legend>
            <div className="grid grid-cols-2 gap-x-6 gap-y-1">
              {(scopes.data ?? []).map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm" title={SCOPE_HELP[s]}>
                  <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s] : c.filter((x) => x !== s)))} />
                  <code>{s}</code>
                </label>
              ))}
            </div>
          </fieldset>
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim() || chosen.length === 0} data-testid="create-key">Create key</Button>
        </form>
        <div className="mt-2"><ErrorText error={create.error} /></div>
        {created && (
          <div className="mt-3">
            <Notice tone="warning" testId="new-key">
              <p className="font-medium">Copy the key for “{created.name}” now: it will not be shown again.</p>
              <div className="mt-2 flex items-center gap-2">
                <code data-testid="new-key-value" className="select-all rounded bg-white px-2 py-1 font-mono text-sm">{created.key}</code>
                <Button
                  onClick={async () => {
                    await navigator.clipboard?.writeText(created.key).catch(() => undefined);
                    setCopied(true);
                  }}
                >
                  {copied ? "Copied" : "Copy"}
                </Button>
                <Button variant="ghost" onClick={() => setCreated(null)}>I have saved it</Button>
              </div>
            </Notice>
          </div>
        )}
      </Section>

      <Section title="Keys">
        <ErrorText error={keys.error ?? revoke.error} />
        {keys.isPending ? (
          <Loading />
        ) : !keys.data?.length ? (
          <EmptyState title="No API keys">Create one for the video platform.</EmptyState>
        ) : (
          <Table head={["Name", "Key", "Scopes", "Created", "Last used", "Status", ""]} testId="api-keys-table">
            {keys.data.map((k) => (
              <tr key={k.id} data-testid="api-key-row" className={k.revokedAt ? "text-slate-400" : ""}>
                <Td className="font-medium">{k.name}<div className="text-xs text-slate-500">{k.createdBy ?? ""}</div></Td>
                <Td className="font-mono text-xs">{k.prefix}…</Td>
                <Td className="max-w-xs text-xs">{k.scopes.join(", ")}</Td>
                <Td className="text-xs"><RelativeTime at={k.createdAt} /></Td>
                <Td className="text-xs">{k.lastUsedAt ? <RelativeTime at={k.lastUsedAt} /> : "never"}</Td>
                <Td>{k.revokedAt ? <Badge value="revoked" /> : <Badge value="active" />}</Td>
                <Td>{!k.revokedAt && <Button variant="danger" onClick={() => setRevoking({ id: k.id, name: k.name })}>Revoke</Button>}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
      >
        Requests with this key are refused from now on, and its webhooks stop receiving events. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
