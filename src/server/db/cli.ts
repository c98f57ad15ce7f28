/** `npm run db:migrate` and `npm run db:seed`. */
import { openConfiguredDatabase } from "./client";
import { seed } from "./seed";

async function main(command: string | undefined): Promise<void> {
  const database = openConfiguredDatabase();
  try {
    await database.migrate();
    console.log(`Migrations applied (${database.kind}).`);
    if (command === "seed") {
      await seed(database.db, { log: (line) => console.log(line) });
      console.log("Seed complete.");
    }
  } finally {
    await database.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
