/**
 * pnpm bench, the server's part (issue 13): ingestion, writes and reads through the real API,
 * each beside a floor measured in the same run on the same machine. Figures are CPU time of this
 * process per operation (process.cpuUsage: the machine is shared, so wall time is too noisy),
 * medians over rounds. The client (fetch) runs in the same process for the API and for its raw
 * floor alike, so both include the same client cost.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import Database from 'better-sqlite3';
import { canonicalJson } from '@trustledger/schema';
import { createSchema, createYoga } from 'graphql-yoga';
import type { KeyRole } from '@trustledger/schema';
import { createApiKeyIn, createFirmIn } from '../src/keys/service.ts';
import type { SqliteStore, WriteTx } from '../src/store/index.ts';
import { appendEntry, createRelationship } from '../src/ledger/append.ts';
import type { RelationshipRow } from '../src/ledger/rules.ts';
import { startServer } from '../src/server.ts';
import { createApp } from '../src/yoga.ts';
import { stateOf } from '../src/scoring/state.ts';
import { scorecardFromState } from '@trustledger/sdk/scorecard';

const canonicalize = canonicalJson;
/** Setup, not measured: firms and keys written synchronously on the SQLite store. */
const createFirm = (db: SqliteStore, name: string) => db.writeSync((tx) => createFirmIn(tx, name));
const createApiKey = (db: SqliteStore, firmId: string, role: KeyRole) => db.writeSync((tx) => createApiKeyIn(tx, firmId, role));
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** CPU milliseconds (user + system) of this process. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median CPU ms per call of `fn` over `rounds` rounds of `n` calls (after one warm-up round). */
async function perOp(fn: (i: number) => Promise<unknown> | unknown, n: number, rounds = 5): Promise<number> {
  const samples: number[] = [];
  let k = 0;
  for (let r = 0; r <= rounds; r++) {
    const t = cpu();
    for (let i = 0; i < n; i++) await fn(k++);
    if (r > 0) samples.push((cpu() - t) / n);
  }
  return median(samples);
}

/**
 * Median CPU ms per call of each function, measured in alternation: `rounds` rounds (after one
 * warm-up round), each running every function `n` times in turn, so a change of load on the shared
 * machine falls on all of them alike.
 */
async function interleaved<K extends string>(fns: Record<K, () => Promise<unknown> | unknown>, n: number, rounds = 7): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r <= rounds; r++)
    for (const k of Object.keys(fns) as K[]) {
      const t = cpu();
      for (let i = 0; i < n; i++) await fns[k]();
      if (r > 0) samples[k].push((cpu() - t) / n);
    }
  return Object.fromEntries(Object.keys(fns).map((k) => [k, median(samples[k as K])])) as Record<K, number>;
}

/** A GraphQL client over HTTP with one key; throws on errors (in `errors` or a payload's `errors`). */
function client(url: string, key: string) {
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
    // A kept-alive connection the server closed during a long setup: send again on a new one.
    const res = await send().catch(send);
    const body = (await res.json()) as { data?: Record<string, { errors?: unknown[] }>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    for (const v of Object.values(body.data ?? {})) if (v && Array.isArray(v.errors) && v.errors.length) throw new Error(JSON.stringify(v.errors));
    return body.data as Record<string, any>;
  };
}

/** One realistic mix of entries (promises and outcomes, orders, contacts, complaints and answers), seq-aware. */
function entryMix(firstSeq: number, count: number, at: (i: number) => number) {
  const out: { type: string; occurredAt: string; payload: unknown }[] = [];
  let seq = firstSeq;
  const add = (type: string, payload: unknown, ms: number) => {
    out.push({ type, occurredAt: iso(ms), payload });
    return seq++;
  };
  for (let i = 0; out.length < count; i++) {
    const ms = at(out.length);
    const k = i % 8;
    if (k === 0 && out.length + 1 < count) {
      const p = add('PROMISE_MADE', { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `order ${seq}`, dueAt: iso(ms + 3 * DAY) }, ms);
      add('PROMISE_KEPT', { promiseSeq: p, inFull: true }, ms + (i % 7 === 0 ? 4 : 2) * DAY);
    } else if (k === 1) add('INTERACTION_RECORDED', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 10 + (i % 9) }, ms);
    else if (k === 2) add('INTERACTION_RECORDED', { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, ms);
    else if (k === 3 && out.length + 1 < count) {
      const c = add('INTERACTION_RECORDED', { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'late shipment' }, ms);
      add('COMPLAINT_RESPONDED', { interactionSeq: c }, ms + 3_600_000);
    } else add('INTERACTION_RECORDED', { kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 3 + (i % 3) }, ms);
  }
  return out;
}

/** A proposed-and-accepted relationship written directly through the append path (setup, not measured). */
function relationship(db: SqliteStore, supplierId: string, clientId: string, start: number, extra: (rel: RelationshipRow, tx: WriteTx) => RelationshipRow = (r) => r) {
  return db.writeSync((tx) => {
    let rel = createRelationship(tx, { firmId: supplierId, side: 'SUPPLIER' }, clientId, iso(start), iso(Date.now())).rel;
    rel = appendEntry(tx, rel, clientId, { type: 'RELATIONSHIP_ACCEPTED', payload: {}, occurredAt: iso(start) }, iso(Date.now())).rel;
    return extra(rel, tx);
  });
}

/** The floor of batch ingestion: the same rows inserted, canonicalised (RFC 8785) and hashed (SHA-256), 1,000 per transaction. */
function ingestionFloor(dir: string, batches: { type: string; occurredAt: string; payload: unknown }[][]): number {
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table entries (relationship_id text not null, seq integer not null, type text not null, payload text not null,
    actor_firm_id text not null, occurred_at text not null, recorded_at text not null, prev_hash text not null, hash text not null,
    primary key (relationship_id, seq))`);
  const insert = db.prepare('insert into entries values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let prev = '0'.repeat(64);
  let seq = 0;
  const write = db.transaction((batch: (typeof batches)[number]) => {
    const now = new Date().toISOString();
    for (const e of batch) {
      const payload = canonicalize(e.payload);
      const fields = { relationshipId: 'rel_floor', seq: ++seq, type: e.type, payload: JSON.parse(payload), actorFirmId: 'firm_a', occurredAt: e.occurredAt, recordedAt: now, prevHash: prev };
      const hash = createHash('sha256').update(canonicalize(fields)).digest('hex');
      insert.run('rel_floor', seq, e.type, payload, 'firm_a', e.occurredAt, now, prev, hash);
      prev = hash;
    }
  });
  const perEntry: number[] = [];
  for (const b of batches) {
    const t = cpu();
    write(b);
    perEntry.push((cpu() - t) / b.length);
  }
  db.close();
  return median(perEntry);
}

/** A raw node:http + better-sqlite3 handler that does what one recordInteraction does at the least: the insert and the hash. */
async function rawWriteServer(path: string): Promise<{ url: string; server: Server }> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table if not exists heads (id text primary key, seq integer not null, hash text not null);
    create table if not exists entries (relationship_id text not null, seq integer not null, type text not null, payload text not null,
    actor_firm_id text not null, occurred_at text not null, recorded_at text not null, prev_hash text not null, hash text not null,
    primary key (relationship_id, seq));
    insert or ignore into heads values ('rel_raw', 0, '${'0'.repeat(64)}');`);
  const head = db.prepare('select seq, hash from heads where id = ?');
  const insert = db.prepare('insert into entries values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const move = db.prepare('update heads set seq = ?, hash = ? where id = ?');
  const write = db.transaction((payload: unknown, occurredAt: string) => {
    const h = head.get('rel_raw') as { seq: number; hash: string };
    const now = new Date().toISOString();
    const text = canonicalize(payload);
    const fields = { relationshipId: 'rel_raw', seq: h.seq + 1, type: 'INTERACTION_RECORDED', payload: JSON.parse(text), actorFirmId: 'firm_a', occurredAt, recordedAt: now, prevHash: h.hash };
    const hash = createHash('sha256').update(canonicalize(fields)).digest('hex');
    insert.run('rel_raw', h.seq + 1, 'INTERACTION_RECORDED', text, 'firm_a', occurredAt, now, h.hash, hash);
    move.run(h.seq + 1, hash, 'rel_raw');
    return { seq: h.seq + 1, hash };
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { variables: { i: Record<string, unknown> } };
      const { occurredAt, relationshipId: _r, ...payload } = body.variables.i;
      const out = write(payload, (occurredAt as string) ?? new Date().toISOString());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { recordInteraction: { entry: out, errors: [] } } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/** Serves fixed bytes read from SQLite per request: the floor of serving a stored scorecard. */
async function rawReadServer(path: string, bytes: string): Promise<{ url: string; server: Server }> {
  const db = new Database(path);
  db.exec('create table if not exists blobs (id text primary key, body text not null)');
  db.prepare('insert or replace into blobs values (?, ?)').run('card', bytes);
  const read = db.prepare('select body from blobs where id = ?');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const row = read.get('card') as { body: string };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(row.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/**
 * A bare graphql-yoga (no plugins, one field) returning the same scorecard object: what the GraphQL
 * layer costs by itself. With the API's options that change its work (yoga's own body limit off,
 * as the API replaces it with useBodyLimit; no landing page): yoga's body limit pipes every body
 * through a TransformStream, ~0.25 ms a request, which the API does not pay.
 */
async function bareYogaServer(card: unknown): Promise<{ url: string; server: Server }> {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'scalar JSON\ntype Query { node(id: ID!): JSON }',
      resolvers: { Query: { node: () => card } },
    }),
    landingPage: false,
    maxRequestBodySize: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

const SCORECARD = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard {
  asOf head { seq hash } supplier { trustScore band reliability { score uncertainty } transparency { score } responsiveness { score } goalAttainment { score } }
  client { trustScore band } churn { stage } } } } }`;
const REVIEW = `query($first: Int!) { viewer { review(as: CLIENT, first: $first) { edges { node { trustScore band stage openPromises counterparty { name } } } } } }`;

export interface PerfOptions {
  /** Entries in the large ledger. @default 100_000 */
  large?: number;
  /** Relationships of the firm whose review is measured against one with 10. @default 1000 */
  manyRelationships?: number;
  /** Whether to measure the reads after ingestion and single writes. @default true */
  reads?: boolean;
}

/** Runs every server measure; returns rows for the README's table. */
export async function runPerfBench(options: PerfOptions = {}) {
  const large = options.large ?? 100_000;
  const many = options.manyRelationships ?? 1000;
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-perf-'));
  const statements: string[] = [];
  let counting = false;
  const running = await startServer({ port: 0, dbPath: join(dir, 'api.db'), onQuery: (s) => counting && statements.push(s), overdueCheckMs: 3_600_000, rateLimitPerMinute: 0 });
  const servers: Server[] = [];
  try {
    const db = running.store as SqliteStore;
    const supplier = createFirm(db, 'Supplier');
    const buyer = createFirm(db, 'Buyer');
    const writer = client(running.graphqlUrl, createApiKey(db, supplier.id, 'WRITER').secret);
    const buyerReader = client(running.graphqlUrl, createApiKey(db, buyer.id, 'READER').secret);
    const rows: { measure: string; value: string; floor: string; ratio: number | null; target: string }[] = [];
    const row = (measure: string, value: string, floor: string, ratio: number | null, target: string) => rows.push({ measure, value, floor, ratio, target });
    const µs = (ms: number) => `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)} µs`;
    const msf = (ms: number) => `${ms.toFixed(2)} ms`;

    // 1. Batch ingestion: one ledger loaded to `large` entries through recordEntries, 1,000 per batch.
    const start = Date.now() - 700 * DAY;
    const rel = relationship(db, supplier.id, buyer.id, start);
    const relGid = encodeGlobalID('Relationship', rel.id);
    const span = 690 * DAY;
    const RECORD = 'mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { errors { message path } } }';
    const perBatch: number[] = [];
    const allBatches: ReturnType<typeof entryMix>[] = [];
    let seq = rel.headSeq + 1;
    for (let written = 0; written < large; written += 1000) {
      const batch = entryMix(seq, Math.min(1000, large - written), (j) => start + 1000 + Math.floor(((written + j) / large) * span));
      allBatches.push(batch);
      const t = cpu();
      await writer(RECORD, { i: { relationshipId: relGid, entries: batch } });
      perBatch.push((cpu() - t) / batch.length);
      seq += batch.length;
    }
    const floorEntry = ingestionFloor(dir, allBatches.slice(0, 20));
    const ingest = median(perBatch);
    row('`recordEntries`, batches of 1,000, CPU per entry', µs(ingest), `${µs(floorEntry)} (insert + RFC 8785 + SHA-256)`, ingest / floorEntry, '≤ 3');
    const tenth = Math.max(1, Math.round(perBatch.length / 10));
    const first = mean(perBatch.slice(0, tenth));
    const last = mean(perBatch.slice(-tenth));
    row(`cost per entry, last vs first ${(tenth * 1000).toLocaleString('en-US')} of a ${large.toLocaleString('en-US')}-entry ledger`, µs(last), µs(first), last / first, '≤ 1.2');

    // 2. Single writes: recordInteraction, one per request, against a raw node:http + better-sqlite3 handler.
    const small = relationship(db, supplier.id, buyer.id, start);
    const smallGid = encodeGlobalID('Relationship', small.id);
    const INTERACTION = 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { entry { seq hash } errors { message } } }';
    const interaction = (relationshipId: string, occurredAt?: string) => ({ i: { relationshipId, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', ...(occurredAt ? { occurredAt } : {}) } });
    const apiWrite = await perOp(() => writer(INTERACTION, interaction(smallGid)), 50);
    const raw = await rawWriteServer(join(dir, 'raw.db'));
    servers.push(raw.server);
    const rawPost = async (url: string, body: unknown) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    const rawWrite = await perOp(() => rawPost(raw.url, { query: INTERACTION, variables: interaction('rel_raw') }), 50);
    counting = true;
    statements.length = 0;
    await writer(INTERACTION, interaction(smallGid));
    counting = false;
    const perWrite = statements.length;
    row(`\`recordInteraction\`, one per request over HTTP (${perWrite} SQL statements)`, msf(apiWrite), `${msf(rawWrite)} (raw node:http + better-sqlite3, 3 statements)`, apiWrite / rawWrite, '≤ 2');
    if (options.reads === false) return rows;

    // 3. Serving a scorecard: the API, a bare yoga returning the same object, a raw handler sending the same bytes.
    const cardBody = await writer(SCORECARD, { id: relGid });
    const bytes = JSON.stringify({ data: cardBody });
    const rawRead = await rawReadServer(join(dir, 'raw.db'), bytes);
    servers.push(rawRead.server);
    const bare = await bareYogaServer(cardBody.node);
    servers.push(bare.server);
    // Where the time goes: the same requests in alternation, each step adding one layer to the one before.
    const relRow = (await db.relationship(rel.id))!;
    // The same app served in process (app.fetch: no socket, no Node HTTP, no client).
    const app = createApp({ store: db, rateLimitPerMinute: 0 });
    const cardRequest = JSON.stringify({ query: SCORECARD, variables: { id: relGid } });
    const writerKey = createApiKey(db, supplier.id, 'WRITER').secret;
    const card = await interleaved(
      {
        api: () => writer(SCORECARD, { id: relGid }),
        raw: () => rawPost(rawRead.url, { query: SCORECARD, variables: { id: relGid } }),
        bare: () => rawPost(bare.url, { query: '{ node(id: "x") }' }),
        bareTypename: () => rawPost(bare.url, { query: '{ __typename }' }),
        typename: () => writer('{ __typename }'),
        node: () => writer('query($id: ID!) { node(id: $id) { ... on Relationship { id } } }', { id: relGid }),
        asOf: () => writer('query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf } } } }', { id: relGid }),
        inProcess: async () =>
          (await app.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${writerKey}` }, body: cardRequest })).text(),
        fromState: () => scorecardFromState(stateOf(relRow), new Date().toISOString()),
      },
      50,
    );
    row(`\`scorecard\` of the ${large.toLocaleString('en-US')}-entry relationship over HTTP`, msf(card.api), `${msf(card.raw)} (raw handler, same bytes); bare yoga ${msf(card.bare)}`, card.api / card.raw, '≤ 1.4');
    row(
      '`scorecard`, layer by layer (same run, in alternation)',
      `our yoga and plugins, \`{ __typename }\` with the key: ${msf(card.typename)}; + the relationship (\`node { id }\`): ${msf(card.node)}; + the scorecard (\`scorecard { asOf }\`): ${msf(card.asOf)}; + its ~40 fields: ${msf(card.api)}`,
      `a bare yoga answering \`{ __typename }\`: ${msf(card.bareTypename)} (${(card.bareTypename / card.raw).toFixed(2)}× raw); the whole request in process (\`app.fetch\`): ${msf(card.inProcess)}; the scorecard from the state alone: ${msf(card.fromState)}`,
      null,
      '',
    );

    // 4. Open promises: a scorecard with 150 open (not yet due) against one with none.
    const withOpen = relationship(db, supplier.id, buyer.id, start, (r, tx) => {
      let cur = r;
      for (let i = 0; i < 150; i++)
        cur = appendEntry(tx, cur, supplier.id, { type: 'PROMISE_MADE', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `open ${i}`, dueAt: iso(Date.now() + (30 + i) * DAY) }, occurredAt: iso(start + i * DAY) }, iso(Date.now())).rel;
      return cur;
    });
    const noOpen = relationship(db, supplier.id, buyer.id, start, (r, tx) => {
      let cur = r;
      for (let i = 0; i < 150; i++)
        cur = appendEntry(tx, cur, buyer.id, { type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, occurredAt: iso(start + i * DAY) }, iso(Date.now())).rel;
      return cur;
    });
    const openMs = await perOp(() => writer(SCORECARD, { id: encodeGlobalID('Relationship', withOpen.id) }), 50);
    const noneMs = await perOp(() => writer(SCORECARD, { id: encodeGlobalID('Relationship', noOpen.id) }), 50);
    row('`scorecard` with 150 open promises vs none', msf(openMs), msf(noneMs), openMs / noneMs, '≤ 2');

    // 5. Review, first page of 20: a firm with `many` relationships against one with 10.
    const reviewFirm = async (n: number) => {
      const buyerN = createFirm(db, `Reviewer ${n}`);
      for (let i = 0; i < n; i++) {
        const s = createFirm(db, `Supplier ${n}-${i}`);
        relationship(db, s.id, buyerN.id, start, (r, tx) => {
          let cur = r;
          for (const e of entryMix(cur.headSeq + 1, 12 + (i % 7), (j) => start + (i % 50) * DAY + j * 7 * DAY))
            cur = appendEntry(tx, cur, e.type === 'INTERACTION_RECORDED' ? buyerN.id : s.id, e, iso(Date.now())).rel;
          return cur;
        });
      }
      return client(running.graphqlUrl, createApiKey(db, buyerN.id, 'READER').secret);
    };
    const reviewTen = await reviewFirm(10);
    const reviewMany = await reviewFirm(many);
    const tenMs = await perOp(() => reviewTen(REVIEW, { first: 20 }), 10);
    const manyMs = await perOp(() => reviewMany(REVIEW, { first: 20 }), 10);
    row(`\`review\`, first page of 20, ${many.toLocaleString('en-US')} relationships vs 10`, msf(manyMs), msf(tenMs), manyMs / tenMs, '≤ 2');

    // 6. A complaint followed up after its deadlines passed, on the large ledger, against another write there.
    const COMPLAINT = 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { entry { seq } errors { message } } }';
    const RESOLVE = 'mutation($i: ResolveComplaintInput!) { resolveComplaint(input: $i) { errors { message } } }';
    const oldComplaints: string[] = [];
    for (let i = 0; i < 12; i++) {
      const out = await writer(COMPLAINT, { i: { relationshipId: relGid, kind: 'COMPLAINT', initiatedBy: 'CLIENT', occurredAt: iso(Date.now() - 30 * DAY), note: `old ${i}` } });
      oldComplaints.push(encodeGlobalID('Interaction', `${rel.id}:${out.recordInteraction.entry.seq}`));
    }
    // Push the state's clock past their deadlines, so they are settled as unanswered.
    await writer(INTERACTION, interaction(relGid));
    const otherWrite = await perOp(() => writer(INTERACTION, interaction(relGid)), 10);
    const lateSamples: number[] = [];
    for (const id of oldComplaints.slice(1)) {
      const t = cpu();
      await writer(RESOLVE, { i: { interactionId: id } }).catch(async (e) => {
        throw new Error(`resolveComplaint: ${(e as Error).message}`);
      });
      lateSamples.push(cpu() - t);
    }
    const lateMs = median(lateSamples);
    row(`a complaint resolved after its deadlines, ${large.toLocaleString('en-US')}-entry ledger, vs another write there`, msf(lateMs), msf(otherWrite), lateMs / otherWrite, '≤ 2');

    // 7. An entry dated ahead of the server clock (accepted: up to 5 minutes), then reads: 7 rounds of
    //    20 each (both well inside the 2 minutes), since the two cannot run in alternation and 3 rounds
    //    of 10 let one slow stretch (GC, the review's refresh) move the median.
    await writer(INTERACTION, interaction(relGid, iso(Date.now())));
    const nowRead = await perOp(() => writer(SCORECARD, { id: relGid }), 20, 7);
    await writer(INTERACTION, interaction(relGid, iso(Date.now() + 120_000)));
    const aheadRead = await perOp(() => writer(SCORECARD, { id: relGid }), 20, 7);
    row(`\`scorecard\` after an entry dated 2 min ahead of the clock vs one dated now (${large.toLocaleString('en-US')} entries)`, msf(aheadRead), msf(nowRead), aheadRead / nowRead, '≤ 1.5');
    void buyerReader;
    return rows;
  } finally {
    for (const s of servers) s.close();
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows as a Markdown table. */
export function perfTable(rows: Awaited<ReturnType<typeof runPerfBench>>): string {
  const lines = ['| measure (CPU per operation, median) | trustledger | floor (same run) | ratio | target |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.measure} | ${r.value} | ${r.floor} | ${r.ratio === null ? '' : r.ratio.toFixed(2)} | ${r.target} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runPerfBench({ large: Number(process.argv[2] ?? 100_000), manyRelationships: Number(process.argv[3] ?? 1000) });
  console.log(perfTable(rows));
}
