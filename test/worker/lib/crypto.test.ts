import { describe, expect, it } from "vitest";
import { createTokenCipher, hmacSha256Hex, verifyHmacSha256Hex } from "../../../worker/lib/crypto";
import { AppError } from "../../../worker/lib/errors";
import { redact } from "../../../worker/lib/log";

const key = (fill: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)));

describe("token cipher (AES-256-GCM, versioned keys, AAD)", () => {
  it("round-trips and never emits the plaintext", async () => {
    const cipher = await createTokenCipher(`v1:${key(1)}`);
    const sealed = await cipher.encrypt("super-secret-token", "coa_1|calendly|access_token");
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("super-secret-token");
    expect(await cipher.decrypt(sealed, "coa_1|calendly|access_token")).toBe("super-secret-token");
  });

  it("refuses a ciphertext moved to another coach or field", async () => {
    const cipher = await createTokenCipher(`v1:${key(1)}`);
    const sealed = await cipher.encrypt("t", "coa_1|calendly|access_token");
    await expect(cipher.decrypt(sealed, "coa_2|calendly|access_token")).rejects.toThrow();
    await expect(cipher.decrypt(sealed, "coa_1|calendly|refresh_token")).rejects.toThrow();
  });

  it("keeps decrypting old ciphertexts after a key rotation and flags them stale", async () => {
    const old = await createTokenCipher(`v1:${key(1)}`);
    const sealed = await old.encrypt("t", "aad");
    const rotated = await createTokenCipher(`v2:${key(2)},v1:${key(1)}`);
    expect(await rotated.decrypt(sealed, "aad")).toBe("t");
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(await rotated.encrypt("t", "aad"))).toBe(false);
  });

  it("an unknown key version is a typed misconfigured error, not a plain Error", async () => {
    const gone = await createTokenCipher(`v0:${key(9)}`);
    const sealed = await gone.encrypt("t", "aad");
    const current = await createTokenCipher(`v2:${key(2)},v1:${key(1)}`);
    const err = await current.decrypt(sealed, "aad").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: "misconfigured",
      details: { reason: "unknown_key_version" },
    });
  });

  it("rejects malformed key material", async () => {
    await expect(createTokenCipher("v1:short")).rejects.toThrow(/32 bytes/);
  });
});

describe("HMAC", () => {
  it("verifies its own signatures and rejects tampered ones", async () => {
    const sig = await hmacSha256Hex("key", "1700000000.body");
    expect(await verifyHmacSha256Hex("key", "1700000000.body", sig)).toBe(true);
    expect(await verifyHmacSha256Hex("key", "1700000000.body!", sig)).toBe(false);
    expect(await verifyHmacSha256Hex("key", "1700000000.body", "zz")).toBe(false);
  });
});

describe("log redaction", () => {
  it("removes tokens, secrets and personal data at any depth", () => {
    const out = JSON.stringify(
      redact({
        coachId: "coa_1",
        access_token: "a",
        nested: { email: "x@y.z", authorization: "Bearer b", list: [{ refreshToken: "c" }] },
      }),
    );
    expect(out).toContain("coa_1");
    for (const secret of ['"a"', "x@y.z", "Bearer b", '"c"']) expect(out).not.toContain(secret);
  });
});
