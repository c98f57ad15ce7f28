/**
 * Trust anchors for verification: the configured PEM bundles and trust-list files (e.g. the official C2PA trust
 * list), plus our development CA(s) when development credentials are in use. Old CA certificates stay in the
 * list so files signed under an earlier certificate keep verifying as trusted.
 */
import { readFile } from "node:fs/promises";
import { splitPemCertificates } from "./certs";
import { CredentialsError } from "./errors";

export interface TrustConfig {
  trustAnchorsPem?: string | readonly string[];
  trustListPaths?: readonly string[];
}

export async function loadTrustAnchors(config: TrustConfig, extraPems: readonly string[] = []): Promise<string> {
  const inline = typeof config.trustAnchorsPem === "string" ? [config.trustAnchorsPem] : (config.trustAnchorsPem ?? []);
  const files = await Promise.all(
    (config.trustListPaths ?? []).map(async (file) => {
      const text = await readFile(file, "utf8").catch((cause: unknown) => {
        throw new CredentialsError("unreadable", `Could not read the trust list ${file}`, { cause });
      });
      if (splitPemCertificates(text).length === 0) throw new CredentialsError("unreadable", `The trust list ${file} holds no PEM certificate`);
      return text;
    }),
  );
  const unique = new Set([...inline, ...files, ...extraPems].flatMap(splitPemCertificates).map((pem) => pem.trim()));
  return [...unique].join("\n");
}
