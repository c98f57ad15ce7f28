/** `npm run audit:verify`: checks the audit log's hash chain; exit 1 (and every break) when it is broken. */
import { openConfiguredDatabase } from "../db/client";
import { verifyAuditChain } from "./chain";

async function main(): Promise<number> {
  const database = openConfiguredDatabase();
  try {
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      console.log(`audit log: ${result.rows} rows, chain intact; head row ${result.head?.seq ?? 0} hash ${result.head?.hash ?? "-"}`);
      console.log("Record the head hash outside the database: a chain rewritten from a break onwards is only caught against it.");
      return 0;
    }
    console.error(`audit log: chain BROKEN (${result.problems.length} problem(s) over ${result.rows} rows)`);
    for (const p of result.problems) console.error(`  ${p.seq !== null ? `row ${p.seq}` : "chain"}${p.id !== null ? ` (id ${p.id})` : ""}: ${p.problem}`);
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
