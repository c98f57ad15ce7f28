import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CredentialsError, describeSigner, loadSigningCredentials } from "@/server/provenance";
import { selfSignedSigner } from "./certs";

const DAY = 86_400_000;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "clearance-keys-"));
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe("development credentials", () => {
  it("are created once under devDir, with a loud warning, and reused on later starts", async () => {
    const devDir = path.join(root, "dev1");
    const warn = vi.mocked(console.warn);
    warn.mockClear();
    const first = await loadSigningCredentials({ devDir });
    expect(warn.mock.calls.some(([m]) => /FOR DEVELOPMENT ONLY/.test(String(m)))).toBe(true);
    expect(first.development).toBe(true);
    expect(first.certificate).toMatchObject({ selfSigned: false, isCA: false, digitalSignature: true, commonName: "Clearance Development Signer" });
    expect(first.certificate.extendedKeyUsages).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.4", "1.3.6.1.4.1.62558.2.1"]));
    expect(first.chainDer).toHaveLength(2);
    expect((await stat(path.join(devDir, "signer", "key.pem"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(devDir, "ca", "key.pem"))).mode & 0o777).toBe(0o600);

    warn.mockClear();
    const again = await loadSigningCredentials({ devDir });
    expect(again.certificate.serialNumber).toBe(first.certificate.serialNumber);
    expect(warn.mock.calls.some(([m]) => /FOR DEVELOPMENT ONLY/.test(String(m)))).toBe(false);
  });

  it("several starts at once (in one process or many) end up with one CA", async () => {
    const devDir = path.join(root, "race");
    // Temporary folders were once named by pid + millisecond: two callers in the same millisecond collided (seen in CI).
    const all = await Promise.all(Array.from({ length: 6 }, () => loadSigningCredentials({ devDir })));
    for (const other of all) expect(other.devAnchorsPem[0]).toBe(all[0]!.devAnchorsPem[0]);
    const c = await loadSigningCredentials({ devDir });
    expect(c.devAnchorsPem[0]).toBe(all[0]!.devAnchorsPem[0]);
  });

  it("renew the signer near expiry under the same CA, and keep a retired CA as an anchor", async () => {
    const devDir = path.join(root, "renew");
    const t0 = new Date("2030-01-01T00:00:00Z");
    const first = await loadSigningCredentials({ devDir, now: () => t0 });
    const later = await loadSigningCredentials({ devDir, now: () => new Date(t0.getTime() + 350 * DAY) });
    expect(later.certificate.serialNumber).not.toBe(first.certificate.serialNumber);
    expect(later.devAnchorsPem).toEqual(first.devAnchorsPem);

    const decade = await loadSigningCredentials({ devDir, now: () => new Date(t0.getTime() + 3640 * DAY) });
    expect(decade.devAnchorsPem).toHaveLength(2);
    expect(decade.devAnchorsPem).toContain(first.devAnchorsPem[0]);
  });

  it("are refused where the caller forbids them", async () => {
    await expect(loadSigningCredentials({ devDir: path.join(root, "nope"), allowDevCredentials: false })).rejects.toMatchObject({
      name: "CredentialsError",
      code: "missing",
    });
  });
});

describe("configured credentials", () => {
  it("load from PEM strings and from files", async () => {
    const dev = await loadSigningCredentials({ devDir: path.join(root, "source") });
    const devDir = path.join(root, "source");
    const chainPem = await readFile(path.join(devDir, "signer", "chain.pem"), "utf8");
    const keyPem = await readFile(path.join(devDir, "signer", "key.pem"), "utf8");

    const fromPem = await loadSigningCredentials({ certChainPem: chainPem, privateKeyPem: keyPem });
    expect(fromPem.development).toBe(false);
    expect(fromPem.certificate.serialNumber).toBe(dev.certificate.serialNumber);

    const fromFiles = await loadSigningCredentials({ certPath: path.join(devDir, "signer", "chain.pem"), keyPath: path.join(devDir, "signer", "key.pem") });
    expect(fromFiles.certificate.serialNumber).toBe(dev.certificate.serialNumber);
    expect(fromFiles.alg).toBe("ES256");
  });

  it("reject a key that does not belong to the certificate, half a configuration, and unreadable input", async () => {
    const a = path.join(root, "a");
    await loadSigningCredentials({ devDir: a });
    const other = await selfSignedSigner();
    const chainPem = await readFile(path.join(a, "signer", "chain.pem"), "utf8");

    await expect(loadSigningCredentials({ certChainPem: chainPem, privateKeyPem: other.keyPem })).rejects.toMatchObject({ code: "key_mismatch" });
    await expect(loadSigningCredentials({ certChainPem: chainPem })).rejects.toMatchObject({ code: "missing" });
    await expect(loadSigningCredentials({ certChainPem: "nonsense", privateKeyPem: other.keyPem })).rejects.toMatchObject({ code: "unreadable" });
    await expect(loadSigningCredentials({ certChainPem: chainPem, privateKeyPem: "nonsense" })).rejects.toMatchObject({ code: "unreadable" });
    await expect(loadSigningCredentials({ certPath: path.join(root, "missing.pem"), keyPath: path.join(root, "missing.key") })).rejects.toBeInstanceOf(
      CredentialsError,
    );
    const rsaKey = path.join(root, "rsa.pem");
    const { generateKeyPairSync } = await import("node:crypto");
    await writeFile(rsaKey, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }));
    await expect(loadSigningCredentials({ certChainPem: chainPem, keyPath: rsaKey })).rejects.toMatchObject({ code: "unsupported_key" });
  });

  it("never expose the private key", async () => {
    const devDir = path.join(root, "secret");
    const creds = await loadSigningCredentials({ devDir });
    const keyPem = await readFile(path.join(devDir, "signer", "key.pem"), "utf8");
    const keyBody = keyPem.split("\n")[1]!;
    const seen = JSON.stringify(creds) + JSON.stringify(describeSigner(creds)) + String(Object.values(creds));
    expect(seen).not.toContain(keyBody);
    expect(Object.isFrozen(creds)).toBe(true);
  });
});

describe("describeSigner", () => {
  it("gives the admin page dates, days left and a warning within 30 days of expiry or after it", async () => {
    const creds = await loadSigningCredentials({ devDir: path.join(root, "describe") });
    const notAfter = creds.certificate.notAfter.getTime();

    const fresh = describeSigner(creds, new Date(notAfter - 200 * DAY));
    expect(fresh).toMatchObject({ subject: creds.certificate.subject, issuer: creds.certificate.issuer, expiresInDays: 200, development: true });
    expect(fresh.warning).toMatch(/development/i);

    const soon = describeSigner(creds, new Date(notAfter - 10 * DAY));
    expect(soon.expiresInDays).toBe(10);
    expect(soon.warning).toMatch(/expires in 10 day/);

    const gone = describeSigner(creds, new Date(notAfter + DAY));
    expect(gone.expiresInDays).toBeLessThan(0);
    expect(gone.warning).toMatch(/refused.*expired/i);
  });
});
