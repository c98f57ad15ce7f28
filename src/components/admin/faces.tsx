"use client";
/**
 * Faces no one may generate (the protected-people gallery), and cameo enrollments held because the face looked
 * under 18. Both feed the likeness stage; every change is audited.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Notice, Section } from "@/components/forms/controls";
import { uploadWithProgress } from "@/components/forms/hooks";
import { useTRPC } from "@/trpc/react";

function AddProtectedFace({ onAdded }: { onAdded: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  return (
    <form
      className="mb-4 flex flex-wrap items-end gap-2"
      aria-label="Add a protected person"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        setBusy(true);
        setMessage(null);
        try {
          const r = await uploadWithProgress<{ name: string }>("/api/console/upload/protected-face", form, () => {});
          if (!r.ok || "error" in r.body) setMessage({ tone: "error", text: "error" in r.body ? r.body.error : `Upload failed (${r.status})` });
          else {
            setMessage({ tone: "success", text: `${r.body.name} is protected: renders of this face are blocked.` });
            await onAdded();
          }
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field label="Name"><Input name="name" required maxLength={200} /></Field>
      <Field label="Why"><Input name="reason" required maxLength={200} placeholder="public figure / asked not to be generated" /></Field>
      <Field label="Photo (one face)"><Input name="file" type="file" accept="image/png,image/jpeg" required /></Field>
      <Button type="submit" variant="primary" busy={busy}>Add</Button>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
    </form>
  );
}

function HeldEnrollments() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const held = useQuery(trpc.admin.heldEnrollments.list.queryOptions());
  const [notes, setNotes] = useState<Record<string, string>>({});
  const decide = useMutation(
    trpc.admin.heldEnrollments.decide.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.admin.heldEnrollments.list.queryKey() }) }),
  );
  if (held.isPending) return <Loading />;
  return (
    <>
      <ErrorText error={held.error ?? decide.error} />
      {!held.data?.length ? (
        <EmptyState title="No held enrollments">An enrollment is held here when its face is estimated under 18. The estimate proves nothing; a person decides.</EmptyState>
      ) : (
        <Table head={["Cameo", "Apparent age", "Held", "Note", ""]} testId="held-enrollments">
          {held.data.map((h) => (
            <tr key={h.id}>
              <Td>@{h.handle}</Td>
              <Td>{typeof h.apparentAge === "number" ? `≈ ${h.apparentAge}` : "—"}</Td>
              <Td><RelativeTime at={h.updatedAt} /></Td>
              <Td><Input aria-label={`Note for @${h.handle}`} value={notes[h.handle] ?? ""} onChange={(e) => setNotes({ ...notes, [h.handle]: e.target.value })} placeholder="what you checked" /></Td>
              <Td className="whitespace-nowrap">
                <Button disabled={!notes[h.handle]?.trim()} onClick={() => decide.mutate({ handle: h.handle, decision: "release", note: notes[h.handle] ?? "" })}>Release</Button>{" "}
                <Button variant="danger" disabled={!notes[h.handle]?.trim()} onClick={() => decide.mutate({ handle: h.handle, decision: "reject", note: notes[h.handle] ?? "" })}>Reject</Button>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

export function Faces() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.admin.protectedFaces.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.protectedFaces.list.queryKey() });
  const remove = useMutation(trpc.admin.protectedFaces.remove.mutationOptions({ onSuccess: refresh }));
  return (
    <>
      <Section title="Protected people" description="Public figures and people who asked not to be generated. A render showing one of these faces is blocked, whoever asks.">
        <AddProtectedFace onAdded={refresh} />
        <ErrorText error={list.error ?? remove.error} />
        {list.isPending ? (
          <Loading />
        ) : !list.data?.length ? (
          <EmptyState title="No protected people yet" />
        ) : (
          <Table head={["Name", "Why", "Face model", "Added", ""]} testId="protected-faces">
            {list.data.map((p) => (
              <tr key={p.id}>
                <Td>{p.name}</Td>
                <Td>{p.reason}</Td>
                <Td><Badge value={p.faceModel} /></Td>
                <Td><RelativeTime at={p.createdAt} /></Td>
                <Td><Button variant="danger" busy={remove.isPending && remove.variables?.id === p.id} onClick={() => remove.mutate({ id: p.id })}>Remove</Button></Td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section title="Enrollments held for age review" description="Cameo enrollments whose face the age model estimated under 18. Until released, no one can use that likeness.">
        <HeldEnrollments />
      </Section>
    </>
  );
}
