/**
 * DATABASE_URL as postgres.js should read it. libpq (psql, pg_dump, drizzle-kit) names a Unix-domain socket with
 * `?host=/directory` (`postgres://app@/clearance?host=/var/run/postgresql`); postgres.js would send that `host`
 * to the server as a setting and fail, so it becomes postgres.js's `path` option here.
 *
 * Why a socket: on one machine, PostgreSQL over its Unix socket costs this process about half the CPU per query
 * of TCP on 127.0.0.1 (no TCP stack on either side), which is most of a pre-render decision's own cost.
 */
export interface PostgresTarget {
  /** The URL without the socket directory (postgres.js reads user, password, database and settings from it). */
  url: string;
  /** The socket file, when the URL names a socket directory. */
  path?: string;
}

/** `user@/db` (no host, as libpq allows) is not a URL WHATWG parsers accept: it gets a placeholder host. */
function parsePostgresUrl(databaseUrl: string): URL {
  return new URL(databaseUrl.replace(/^(postgres(?:ql)?:\/\/[^/@]*@)\//, "$1localhost/"));
}

export function postgresTarget(databaseUrl: string): PostgresTarget {
  let url: URL;
  try {
    url = parsePostgresUrl(databaseUrl);
  } catch {
    return { url: databaseUrl };
  }
  const host = url.searchParams.get("host");
  if (!host?.startsWith("/")) return { url: databaseUrl };
  url.searchParams.delete("host");
  const port = url.searchParams.get("port") ?? (url.port || "5432");
  url.searchParams.delete("port");
  // postgres.js needs some host to parse the URL; the socket path decides where it connects.
  if (!url.hostname) url.hostname = "localhost";
  return { url: url.toString(), path: `${host.replace(/\/+$/, "")}/.s.PGSQL.${port}` };
}

/** Whether DATABASE_URL is a postgres:// URL this module can connect with (a socket directory included). */
export function isPostgresUrl(databaseUrl: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return false;
  try {
    new URL(postgresTarget(databaseUrl).url);
    return true;
  } catch {
    return false;
  }
}

/** The same server and credentials, another database (a socket URL stays a socket URL). */
export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = parsePostgresUrl(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
