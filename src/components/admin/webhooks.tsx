"use client";
/** Webhooks the platform registered, with delivery health; deactivate (or reactivate) one. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Loading } from "@/components/forms/controls";
import { ConfirmDialog, confirmTarget } from "@/components/forms/dialog";
import { useTRPC } from "@/trpc/react";

export function Webhooks() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const hooks = useQuery(trpc.admin.webhooks.list.queryOptions());
  const [target, setTarget] = useState<{ id: string; url: string } | null>(null);
  const setActive = useMutation(
    trpc.admin.webhooks.setActive.mutationOptions({
      onSuccess: async () => {
        setTarget(null);
        await qc.invalidateQueries({ queryKey: trpc.admin.webhooks.list.queryKey() });
      },
    }),
  );
  if (hooks.isPending) return <Loading />;
  return (
    <>
      <ErrorText error={hooks.error ?? setActive.error} />
      {!hooks.data?.length ? (
        <EmptyState title="No webhooks">The platform registers webhooks through the REST API (scope webhooks:write).</EmptyState>
      ) : (
        <Table head={["URL", "API key", "Deliveries", "Last event", "Status", ""]} testId="webhooks-table">
          {hooks.data.map((h) => (
            <tr key={h.id} data-testid="webhook-row">
              <Td className="max-w-sm break-all font-mono text-xs">{h.url}</Td>
              <Td>{h.apiKeyName} <span className="font-mono text-xs text-slate-500">{h.apiKeyPrefix}…</span></Td>
              <Td className="text-xs">
                <span className="text-emerald-700">{h.delivered} delivered</span> · <span className={h.failed ? "font-medium text-red-700" : ""}>{h.failed} failed</span> · {h.pending} pending
              </Td>
              <Td className="text-xs">{h.lastAt ? <RelativeTime at={h.lastAt} /> : "—"}</Td>
              <Td><Badge value={h.active ? "active" : "inactive"} /></Td>
              <Td>
                {h.active ? (
                  <Button variant="danger" onClick={() => setTarget({ id: h.id, url: h.url })}>Deactivate</Button>
                ) : (
                  <Button busy={setActive.isPending && setActive.variables?.id === h.id} onClick={() => setActive.mutate({ id: h.id, active: true })}>Reactivate</Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        {...confirmTarget(target, setTarget, setActive, (t) => ({ id: t.id, active: false }))}
        title="Deactivate this webhook?"
        confirmLabel="Deactivate"
      >
        <p className="break-all font-mono text-xs">{target?.url}</p>
        <p className="mt-2">No further events are sent to it until it is reactivated. Events in between are not replayed.</p>
      </ConfirmDialog>
    </>
  );
}
