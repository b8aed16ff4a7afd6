/** A fresh idempotency key (a random UUID from the Web Crypto API, in Node 20 and browsers). */
export function newIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (!crypto?.randomUUID) throw new Error('globalThis.crypto.randomUUID is unavailable: pass idempotencyKey yourself.');
  return crypto.randomUUID();
}
