"use client";
/**
 * Bulk import: read a CSV or JSON file in the browser, send it in chunks (progress between them), and list
 * every rejected row with the file line it came from and what is wrong with it.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Table, Td } from "@/components/ui";
import { Button, ErrorText, Notice, Progress, Section } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";
import { csvRow } from "@/lib/csv";
import { HolderPicker } from "./holder-picker";
import { CSV_TEMPLATE, JSON_TEMPLATE, parseImport, type ImportRow } from "./import-format";

const CHUNK = 200;

interface Report {
  total: number;
  created: number;
  errors: { row: number; source: string; title: string; message: string }[];
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}


export function BulkImport({ isAdmin = false }: { isAdmin?: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [fileName, setFileName] = useState<string | null>(null);
  const [rows, setRows] = useState<ImportRow[] | null>(null);
  const [format, setFormat] = useState<"csv" | "json" | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [done, setDone] = useState(0);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [holder, setHolder] = useState("");
  const bulk = useMutation(trpc.works.bulkImport.mutationOptions());

  const choose = async (file: File | undefined) => {
    setReport(null);
    setRows(null);
    setParseError(null);
    setFileName(file?.name ?? null);
    if (!file) return;
    const parsed = parseImport(await file.text(), file.name);
    if (!parsed.ok) return setParseError(parsed.error);
    setRows(parsed.rows);
    setFormat(parsed.format);
  };

  const run = async () => {
    if (!rows) return;
    setRunning(true);
    setDone(0);
    const out: Report = { total: rows.length, created: 0, errors: [] };
    try {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        const r = await bulk.mutateAsync({ rows: chunk.map((x) => x.value), firstRow: i, ...(isAdmin && holder ? { rightsHolderId: holder } : {}) });
        out.created += r.created;
        for (const e of r.errors) {
          const src = rows[e.row];
          out.errors.push({ row: e.row, source: src?.source ?? `row ${e.row + 1}`, title: typeof src?.value.title === "string" ? src.value.title : "", message: e.message });
        }
        setDone(Math.min(rows.length, i + chunk.length));
      }
    } finally {
      setRunning(false);
      setReport(out);
      await qc.invalidateQueries({ queryKey: trpc.works.list.queryKey() });
    }
  };

  return (
    <>
      <Section title="1. Choose a file" description="CSV with a header row, or a JSON array. Rows with problems are skipped and listed; the rest are registered.">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <input type="file" accept=".csv,.json,text/csv,application/json" aria-label="Import file" data-testid="import-file" onChange={(e) => void choose(e.target.files?.[0])} disabled={running} />
          <div className="mt-3 flex gap-3 text-sm">
            <button type="button" className="text-blue-800 underline" onClick={() => download("works-template.csv", CSV_TEMPLATE, "text/csv")}>CSV template</button>
            <button type="button" className="text-blue-800 underline" onClick={() => download("works-template.json", JSON_TEMPLATE, "application/json")}>JSON template</button>
          </div>
          <details className="mt-3 text-sm text-slate-600">
            <summary className="cursor-pointer">File format</summary>
            <p className="mt-2">CSV columns: <code>title</code> (required), <code>policy</code> (block, review or allow; default block), <code>trainingPreference</code> (allowed, notAllowed, constrained), <code>aliases</code> (entries like <code>ナルト@ja</code> separated by <code>|</code>) and any <code>alias:&lt;lang&gt;</code> column, e.g. <code>alias:zh-Hans</code>.</p>
            <p className="mt-1">JSON: <code>[{"{"}&quot;title&quot;: &quot;…&quot;, &quot;policy&quot;: &quot;block&quot;, &quot;aliases&quot;: [{"{"}&quot;text&quot;: &quot;…&quot;, &quot;lang&quot;: &quot;ja&quot;{"}"}]{"}"}]</code></p>
          </details>
          {parseError && <div className="mt-3"><Notice tone="error" testId="import-parse-error">{parseError}</Notice></div>}
          {rows && !report && (
            <p className="mt-3" data-testid="import-ready">
              <strong>{fileName}</strong>: {rows.length} {rows.length === 1 ? "work" : "works"} read from {format?.toUpperCase()}.
            </p>
          )}
        </div>
      </Section>
      <Section title="2. Import">
        <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          {isAdmin && <HolderPicker value={holder} onChange={setHolder} />}
          <Button variant="primary" disabled={!rows || running || !!report || (isAdmin && !holder)} busy={running} onClick={() => void run()} data-testid="start-import">
            {rows ? `Import ${rows.length} works` : "Import"}
          </Button>
          {(running || report) && rows && <Progress value={rows.length ? done / rows.length : 1} label={`${done} of ${rows.length} rows processed`} testId="import-progress" />}
          <ErrorText error={bulk.error} />
        </div>
      </Section>
      {report && (
        <Section
          title="3. Report"
          testId="import-report"
          actions={
            report.errors.length > 0 && (
              <Button onClick={() => download("import-errors.csv", ["where,title,problem", ...report.errors.map((e) => csvRow([e.source, e.title, e.message]))].join("\n"), "text/csv")}>
                Download error report
              </Button>
            )
          }
        >
          <Notice tone={report.errors.length === 0 ? "success" : report.created > 0 ? "warning" : "error"} testId="import-summary">
            {report.created} of {report.total} registered{report.errors.length > 0 && `; ${report.errors.length} rejected (listed below, fix them and import just those rows again)`}.{" "}
            <Link className="underline" href="/works">Back to works</Link>
          </Notice>
          {report.errors.length > 0 && (
            <div className="mt-3">
              <Table head={["Where", "Title", "Problem"]} testId="import-errors">
                {report.errors.map((e) => (
                  <tr key={e.row} data-testid="import-error-row">
                    <Td className="whitespace-nowrap font-mono text-xs">{e.source}</Td>
                    <Td>{e.title || <span className="text-slate-400">(none)</span>}</Td>
                    <Td className="text-red-800">{e.message}</Td>
                  </tr>
                ))}
              </Table>
            </div>
          )}
        </Section>
      )}
    </>
  );
}
