import { type ChainEntry, checkChain } from '@trustledger/schema';

/** A ledger head: the seq and hash of the last entry a party saw. */
export interface LedgerHead {
  seq: number;
  hash: string;
}

/**
 * An entry to verify: the hashed fields plus `hash`, with the recording firm either as hashed
 * (`actorFirmId`) or as the API returns it (`actorId`). Other fields are ignored.
 */
export type VerifiableEntry = Omit<ChainEntry, 'actorFirmId'> & ({ actorFirmId: string } | { actorId: string });

export type LedgerVerification =
  | { ok: true; head: LedgerHead | null }
  | {
      ok: false;
      /** Seq of the first entry that fails (for a pinned head: the pinned seq). */
      seq: number;
      reason: 'SEQ_GAP' | 'PREV_HASH_MISMATCH' | 'HASH_MISMATCH' | 'PINNED_HEAD_MISSING' | 'PINNED_HEAD_MISMATCH';
      message: string;
    };

export interface VerifyLedgerOptions {
  /** A head kept from an earlier read: the ledger must extend it (same hash at that seq). */
  pinnedHead?: LedgerHead | null;
}

/** Maps an entry as the API returns it to the fields as hashed (actorId → actorFirmId). */
export function toChainEntry(entry: VerifiableEntry): ChainEntry {
  const actorFirmId = 'actorFirmId' in entry ? entry.actorFirmId : entry.actorId;
  const { relationshipId, seq, type, payload, occurredAt, recordedAt, prevHash, hash } = entry;
  return { relationshipId, seq, type, payload, actorFirmId, occurredAt, recordedAt, prevHash, hash };
}

/**
 * Recomputes a whole ledger's hash chain (DESIGN §2: SHA-256 over RFC 8785 canonical JSON,
 * from seq 1 and the genesis hash) and, with `pinnedHead`, checks that it extends the head kept
 * from an earlier read, so a rewritten history fails even when it was re-hashed consistently.
 * Returns the head on success, or the first bad entry's seq with a reason.
 */
export function verifyLedger(entries: readonly VerifiableEntry[], options: VerifyLedgerOptions = {}): LedgerVerification {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const chain = checkChain(sorted.map(toChainEntry));
  if (!chain.ok) return chain;
  const pin = options.pinnedHead;
  if (pin && pin.seq > 0) {
    const at = sorted.find((e) => e.seq === pin.seq);
    if (!at)
      return {
        ok: false,
        seq: pin.seq,
        reason: 'PINNED_HEAD_MISSING',
        message: `the ledger ends at entry ${chain.head?.seq ?? 0}, before the pinned head at entry ${pin.seq}: history was truncated`,
      };
    if (at.hash !== pin.hash)
      return {
        ok: false,
        seq: pin.seq,
        reason: 'PINNED_HEAD_MISMATCH',
        message: `entry ${pin.seq} has hash ${at.hash}, not the pinned ${pin.hash}: history was rewritten`,
      };
  }
  return { ok: true, head: chain.head };
}
