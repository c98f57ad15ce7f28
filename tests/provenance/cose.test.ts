import { webcrypto } from "node:crypto";
import { Decoder, Tag } from "cbor-x";
import { describe, expect, it } from "vitest";
import { coseSign1, encodeCbor } from "@/server/provenance/cose";

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

describe("coseSign1", () => {
  it("builds a tagged COSE_Sign1 of exactly reserveSize bytes whose signature verifies", async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]));
    const sign = async (data: Uint8Array) => new Uint8Array(await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, data));
    const chainDer = [new Uint8Array(400).fill(1), new Uint8Array(380).fill(2)];
    const claim = new TextEncoder().encode("claim bytes");

    for (const reserveSize of [2048, 3000, 10_000]) {
      const cose = await coseSign1(claim, { alg: "ES256", chainDer, sign, reserveSize });
      expect(cose.length).toBe(reserveSize);

      const top = decoder.decode(cose) as Tag;
      expect(top).toBeInstanceOf(Tag);
      expect(top.tag).toBe(18);
      const [protectedBytes, unprotected, payload, signature] = top.value as [Uint8Array, Map<string, Uint8Array>, null, Uint8Array];
      const header = decoder.decode(protectedBytes) as Map<number, unknown>;
      expect(header.get(1)).toBe(-7);
      expect((header.get(33) as Uint8Array[]).map((d) => d.length)).toEqual([400, 380]);
      expect(payload).toBeNull();
      expect([...unprotected.get("pad")!].every((b) => b === 0)).toBe(true);
      expect(signature.length).toBe(64); // IEEE P1363 r||s

      const toBeSigned = encodeCbor(["Signature1", protectedBytes, new Uint8Array(0), claim]);
      expect(await webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, keys.publicKey, signature, toBeSigned)).toBe(true);
    }
  });

  it("writes plain CBOR: no tag 259 on maps, no tag 64 on byte strings", () => {
    const bytes = encodeCbor(new Map<unknown, unknown>([[1, new Uint8Array([1, 2, 3])], ["pad", new Uint8Array(2)]]));
    // a2 (map of 2) 01 43 010203 63 "pad" 42 0000
    expect(Buffer.from(bytes).toString("hex")).toBe("a2014301020363706164420000");
  });

  it("refuses a reserve size too small for the signature", async () => {
    const sign = async () => new Uint8Array(64);
    await expect(coseSign1(new Uint8Array(4), { alg: "ES256", chainDer: [new Uint8Array(500)], sign, reserveSize: 100 })).rejects.toThrow(/cannot be padded/);
  });
});
