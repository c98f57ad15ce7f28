/**
 * The app's database role in production: migrations run as the role that owns the tables (and so the
 * append-only and hash-chain triggers on audit_log); the app connects as another role that may read and
 * write the product's tables but cannot change audit history, disable a trigger (only an owner can) or touch
 * the chain's head. `npm run db:grant-app-role -- <role>` applies these statements as the owner.
 */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function appRoleGrants(role: string): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`"${role}" is not a plain role name (lower-case letters, digits, _)`);
  const r = `"${role}"`;
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    // Tables later migrations create (as this owner) get the same rights; run this again after each migration
    // all the same, so the revocations below cover them.
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${r}`,
    `REVOKE ALL ON audit_chain_head FROM ${r}`,
  ];
}
