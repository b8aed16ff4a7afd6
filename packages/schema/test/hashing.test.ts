import { describe, expect, it } from 'vitest';
import {
  type ChainEntry,
  canonicalJson,
  checkChain,
  GENESIS_HASH,
  HASHED_FIELDS,
  hashEntry,
  hashEntryWithPayloadText,
  type HashedEntryFields,
  sha256Hex,
} from '../src/index.ts';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, recursively, with no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    // RFC 8785 §3.2.3: property sorting compares UTF-16 code units, not code points.
    expect(canonicalJson({ '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ud83d\ude00': 'Emoji', '1': 'One', '\u0080': 'Control' })).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji"}',
    );
  });

  it('writes numbers in the shortest ECMAScript form (RFC 8785 §3.2.2.3 vectors)', () => {
    const vectors: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [123456789012345680000, '123456789012345680000'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [n, text] of vectors) expect(canonicalJson(n)).toBe(text);
  });

  it('escapes strings minimally and keeps non-ASCII text as is', () => {
    expect(canonicalJson('\u0000\b\t\n\f\r"\\/ שלום')).toBe('"\\u0000\\b\\t\\n\\f\\r\\"\\\\/ שלום"');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(undefined)).toThrow();
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });
});

describe('entry hashes', () => {
  const base: HashedEntryFields = {
    relationshipId: 'rel_0000000000example',
    seq: 1,
    type: 'RELATIONSHIP_PROPOSED',
    payload: { supplierFirmId: 'frm_a', clientFirmId: 'frm_b' },
    actorFirmId: 'frm_a',
    occurredAt: '2026-01-01T09:00:00.000Z',
    recordedAt: '2026-01-01T09:00:00.123Z',
    prevHash: GENESIS_HASH,
  };

  it('is SHA-256 of the canonical JSON of exactly the hashed fields (a fixed vector)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const canonical =
      '{"actorFirmId":"frm_a","occurredAt":"2026-01-01T09:00:00.000Z","payload":{"clientFirmId":"frm_b","supplierFirmId":"frm_a"},' +
      '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","recordedAt":"2026-01-01T09:00:00.123Z",' +
      '"relationshipId":"rel_0000000000example","seq":1,"type":"RELATIONSHIP_PROPOSED"}';
    expect(canonicalJson(Object.fromEntries(HASHED_FIELDS.map((f) => [f, base[f]])))).toBe(canonical);
    expect(hashEntry(base)).toBe(sha256Hex(canonical));
    expect(hashEntry(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order or on fields outside the hashed set', () => {
    const reordered = { ...base, payload: { clientFirmId: 'frm_b', supplierFirmId: 'frm_a' } };
    expect(hashEntry(reordered)).toBe(hashEntry(base));
    expect(hashEntry({ ...base, status: 'DISPUTED', id: 'x' } as HashedEntryFields)).toBe(hashEntry(base));
  });

  it('changes with any hashed field', () => {
    const h = hashEntry(base);
    for (const change of [{ seq: 2 }, { type: 'RELATIONSHIP_ACCEPTED' }, { payload: { supplierFirmId: 'frm_a', clientFirmId: 'frm_c' } }, { actorFirmId: 'frm_b' }, { occurredAt: '2026-01-01T09:00:00.001Z' }, { recordedAt: '2026-01-02T09:00:00.123Z' }, { prevHash: 'f'.repeat(64) }, { relationshipId: 'rel_other' }])
      expect(hashEntry({ ...base, ...change } as HashedEntryFields), JSON.stringify(change)).not.toBe(h);
  });
});

describe('hashing around an already canonical payload text (the append path)', () => {
  it('gives hashEntry\'s hash for any fields and any JSON payload, odd strings and numbers included', async () => {
    const fc = (await import('fast-check')).default;
    const text = fc.string({ unit: 'binary' });
    fc.assert(
      fc.property(
        fc.record({ relationshipId: text, seq: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), type: text, actorFirmId: text, occurredAt: text, recordedAt: text, prevHash: text }),
        fc.jsonValue(),
        (fields, payload) => {
          const payloadText = canonicalJson(payload);
          expect(hashEntryWithPayloadText(fields, payloadText)).toBe(hashEntry({ ...fields, payload: JSON.parse(payloadText) }));
          expect(hashEntryWithPayloadText(fields, payloadText)).toBe(hashEntry({ ...fields, payload }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives hashEntry's hash when the fields hold what JSON escapes (quotes, backslashes, control characters, surrogates)", async () => {
    const fc = (await import('fast-check')).default;
    const unit = fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', '\ud83d\ude00', 'a', '1', 'é', ':');
    const text = fc.string({ unit, maxLength: 6 });
    fc.assert(
      fc.property(fc.record({ relationshipId: text, seq: fc.integer({ min: 0, max: 1000 }), type: text, actorFirmId: text, occurredAt: text, recordedAt: text, prevHash: text }), (fields) => {
        expect(hashEntryWithPayloadText(fields, '{"a":"\\""}')).toBe(hashEntry({ ...fields, payload: { a: '"' } }));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a seq that is not a safe integer, as no entry has one', () => {
    const fields = { relationshipId: 'r', seq: 1.5, type: 'T', actorFirmId: 'a', occurredAt: 'o', recordedAt: 'r', prevHash: GENESIS_HASH };
    expect(() => hashEntryWithPayloadText(fields, '{}')).toThrow(TypeError);
  });
});

describe('chain continuity', () => {
  function chain(n: number): ChainEntry[] {
    const out: ChainEntry[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const fields: HashedEntryFields = {
        relationshipId: 'rel_x',
        seq,
        type: 'INTERACTION_RECORDED',
        payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: `call ${seq}` },
        actorFirmId: 'frm_b',
        occurredAt: new Date(Date.UTC(2026, 0, seq)).toISOString(),
        recordedAt: new Date(Date.UTC(2026, 0, seq, 1)).toISOString(),
        prevHash: seq === 1 ? GENESIS_HASH : out[seq - 2].hash,
      };
      out.push({ ...fields, hash: hashEntry(fields) });
    }
    return out;
  }

  it('accepts an unbroken chain and reports its head', () => {
    const entries = chain(20);
    expect(checkChain(entries)).toEqual({ ok: true, head: { seq: 20, hash: entries[19].hash } });
    expect(checkChain([])).toEqual({ ok: true, head: null });
  });

  it('continues from a pinned point', () => {
    const entries = chain(20);
    expect(checkChain(entries.slice(10), { seq: 11, prevHash: entries[9].hash }).ok).toBe(true);
    expect(checkChain(entries.slice(10), { seq: 11, prevHash: entries[8].hash })).toMatchObject({ ok: false, seq: 11, reason: 'PREV_HASH_MISMATCH' });
  });

  it('names the first entry that was altered, dropped or rewritten', () => {
    const tampered = chain(20);
    tampered[6] = { ...tampered[6], payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: 'edited' } };
    expect(checkChain(tampered)).toMatchObject({ ok: false, seq: 7, reason: 'HASH_MISMATCH' });

    const gap = chain(20).filter((e) => e.seq !== 5);
    expect(checkChain(gap)).toMatchObject({ ok: false, seq: 6, reason: 'SEQ_GAP' });

    // Rewriting an entry and re-hashing it breaks the link from the next one.
    const rewritten = chain(20);
    const fields = { ...rewritten[9], payload: { kind: 'NEGATIVE_CONTACT', initiatedBy: 'CLIENT' } };
    rewritten[9] = { ...fields, hash: hashEntry(fields) };
    expect(checkChain(rewritten)).toMatchObject({ ok: false, seq: 11, reason: 'PREV_HASH_MISMATCH' });
  });
});

describe('sha256Hex', () => {
  it("gives the digest @noble/hashes gives (the browser's path) for any text, non-ASCII and lone surrogates included", async () => {
    const fc = (await import('fast-check')).default;
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const { bytesToHex, utf8ToBytes } = await import('@noble/hashes/utils.js');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }), (text, odd) => {
        for (const t of [text, text + odd]) expect(sha256Hex(t)).toBe(bytesToHex(sha256(utf8ToBytes(t))));
      }),
      { numRuns: 2_000 },
    );
  });
});
