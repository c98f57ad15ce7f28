/** `npm run db:migrate`, `npm run db:seed` and `npm run db:grant-app-role -- <role>`. */
import { sql } from "drizzle-orm";
import { openConfiguredDatabase } from "./client";
import { appRoleGrants } from "./roles";
import { seedCommand } from "./seed";

async function main(command: string | undefined, arg: string | undefined): Promise<void> {
  const database = openConfiguredDatabase();
  try {
    await database.migrate();
    console.log(`Migrations applied (${database.kind}).`);
    if (command === "grant-app-role") {
      if (!arg) throw new Error("usage: npm run db:grant-app-role -- <app role>");
      for (const statement of appRoleGrants(arg)) await database.db.execute(sql.raw(statement));
      console.log(`Role ${arg} may use the app's tables; it cannot rewrite audit_log, disable its triggers or move the chain's head.`);
    }
    if (command === "seed") {
      const result = await seedCommand(database.db, { log: (line) => console.log(line) });
      if (!result.ok) {
        console.error(result.message);
        process.exitCode = 2;
      } else console.log(result.message);
    }
  } finally {
    await database.close();
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
