/**
 * `npm run admin:create -- --email you@example.com [--name "Your Name"] [--password-stdin]`
 * Creates a console admin. Without --password-stdin it prints a one-time password that must be changed at the
 * first sign-in; with it, the password is read from standard input (e.g. from a secrets manager).
 * With the embedded database, run it while the console is stopped (one process owns the data folder).
 */
import { openConfiguredDatabase } from "../db/client";
import { createAccount } from "./accounts";

export interface AdminCreateArgs {
  email: string;
  name?: string;
  passwordStdin: boolean;
}

export function parseAdminCreateArgs(argv: readonly string[]): AdminCreateArgs {
  let email: string | undefined;
  let name: string | undefined;
  let passwordStdin = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--email") email = value();
    else if (flag === "--name") name = value();
    else if (flag === "--password-stdin") passwordStdin = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!email) throw new Error("usage: npm run admin:create -- --email you@example.com [--name NAME] [--password-stdin]");
  return { email, name, passwordStdin };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main(): Promise<void> {
  const args = parseAdminCreateArgs(process.argv.slice(2));
  const password = args.passwordStdin ? await readStdin() : undefined;
  const database = openConfiguredDatabase();
  try {
    await database.migrate();
    const { user, oneTimePassword } = await createAccount(database.db, { label: "cli:admin:create" }, { email: args.email, name: args.name, role: "admin", password });
    console.log(`Created admin ${user.email} (${user.id}).`);
    if (oneTimePassword) console.log(`One-time password (shown once; it must be changed at the first sign-in): ${oneTimePassword}`);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && /admin-cli\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
