/** `npm run db:migrate` and `npm run db:seed`. */
import { openConfiguredDatabase } from "./client";
import { seedCommand } from "./seed";

async function main(command: string | undefined): Promise<void> {
  const database = openConfiguredDatabase();
  try {
    await database.migrate();
    console.log(`Migrations applied (${database.kind}).`);
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

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
