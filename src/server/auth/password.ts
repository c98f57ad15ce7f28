/**
 * Password hashing with scrypt (memory-hard KDF in node:crypto), stored as scrypt$N$r$p$salt$hash.
 * N = 2^17, r = 8 (128 MiB per hash, OWASP's scrypt minimum); hashes made with weaker parameters still verify
 * and are replaced at the next successful sign-in (needsRehash).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

export const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** scrypt needs 128·N·r bytes; leave headroom, and refuse stored parameters that would need more. */
const MAX_MEM = 2 * 128 * PASSWORD_PARAMS.N * PASSWORD_PARAMS.r;

/** What a password needs to be accepted when someone chooses one. */
export const MIN_PASSWORD_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PASSWORD_PARAMS, maxmem: MAX_MEM });
  return ["scrypt", PASSWORD_PARAMS.N, PASSWORD_PARAMS.r, PASSWORD_PARAMS.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, r, p, saltB64, keyB64] = stored.split("$");
  if (algo !== "scrypt" || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, "base64");
  const actual = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEM,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A stored hash made with weaker parameters than today's: re-hash it once the password is known to be right. */
export function needsRehash(stored: string): boolean {
  const [algo, n, r, p] = stored.split("$");
  return algo !== "scrypt" || Number(n) < PASSWORD_PARAMS.N || Number(r) < PASSWORD_PARAMS.r || Number(p) < PASSWORD_PARAMS.p;
}

let dummy: Promise<string> | undefined;
/**
 * A hash of nothing anyone knows, verified against when the e-mail is unknown (or the account cannot sign in),
 * so that answer costs the same scrypt work as a wrong password and timing does not tell which e-mails exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString("base64"));
  return dummy;
}

/** A one-time password to hand to a person (admin:create, an admin's reset): 20 characters, ~120 bits. */
export function generateOneTimePassword(): string {
  return randomBytes(15).toString("base64url");
}
