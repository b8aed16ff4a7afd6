import { createApiKeyIn, createFirmIn, createLogger, type RunningServer, startServer } from '@trustledger/server';
import type { KeyRole } from '@trustledger/schema';
import { rawSql, refuseConnections, TEST_STORE, testDatabase } from './store.ts';

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestFirm {
  /** Opaque GraphQL id. */
  id: string;
  rawId: string;
  name: string;
  keys: Record<'admin' | 'writer' | 'reader', string>;
  /** Sends a GraphQL request with this firm's writer key (or another role's). */
  gql: <T = any>(query: string, variables?: Record<string, unknown>, role?: 'admin' | 'writer' | 'reader') => Promise<GqlResult<T>>;
}

export interface TestServer extends AsyncDisposable {
  server: RunningServer;
  url: string;
  supplier: TestFirm;
  client: TestFirm;
  outsider: TestFirm;
  /** Adds a firm with keys of every role, through the store (one write transaction). */
  firm: (name: string) => Promise<TestFirm>;
  /** The store under test (TRUSTLEDGER_TEST_STORE): 'sqlite' by default, or 'postgres'. */
  store: 'sqlite' | 'postgres';
  /** The server's database as the CLI helpers take it (test/cli/cli.ts): a SQLite path or a postgres:// URL. */
  db: string;
  /** A temporary folder of this server's, removed on close. */
  dir: string;
  /**
   * Runs one SQL statement on the server's database behind the API's back (damage, or someone
   * with database access), `?` placeholders on either store (test/support/store.ts rawSql).
   */
  rawSql: <R = Record<string, unknown>>(statement: string, ...params: unknown[]) => Promise<{ rows: R[]; changes: number }>;
  /** Makes the database stop answering the server (SQLite: its connection is closed; PostgreSQL: connections refused and ended). */
  cutOff: () => void;
  /** SQL statements issued since the last reset (SQLite: every statement; PostgreSQL: the reads). */
  sql: string[];
  post: (body: unknown, headers?: Record<string, string>) => Promise<GqlResult>;
  close: () => Promise<void>;
}

/** Starts a real server on 127.0.0.1 (port 0) over a fresh database, with three firms. */
export async function startTestServer(
  options: {
    now?: () => string;
    rateLimitPerMinute?: number;
    overdueCheckMs?: number;
    stageCheckMs?: number;
    busyTimeoutMs?: number;
    /** Collects the server's request log lines, parsed (level `debug`); by default nothing is logged. */
    log?: Record<string, any>[];
  } = {},
): Promise<TestServer> {
  const database = testDatabase();
  const sql: string[] = [];
  const server = await startServer({ port: 0, host: '127.0.0.1', ...database.options, now: options.now, onQuery: (s) => sql.push(s), rateLimitPerMinute: options.rateLimitPerMinute ?? 0, overdueCheckMs: options.overdueCheckMs, stageCheckMs: options.stageCheckMs, busyTimeoutMs: options.busyTimeoutMs, logger: testLogger(options.log) });
  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<GqlResult> => {
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as GqlResult;
    return { ...json, status: res.status };
  };
  // Through the store module, as the CLI's `firm create` and `key create` do: the same on either store.
  const firm = async (name: string): Promise<TestFirm> => {
    const { f, keys } = await server.store.write((tx) => {
      const f = createFirmIn(tx, name);
      const key = (role: KeyRole) => createApiKeyIn(tx, f.id, role).secret;
      return { f, keys: { admin: key('ADMIN'), writer: key('WRITER'), reader: key('READER') } };
    });
    return {
      id: Buffer.from(`Firm:${f.id}`).toString('base64'),
      rawId: f.id,
      name,
      keys,
      gql: (query, variables, role = 'writer') => post({ query, variables }, { authorization: `Bearer ${keys[role]}` }),
    };
  };
  const supplier = await firm('Oak & Sons Furniture');
  const client = await firm('Harbor Hotels');
  const outsider = await firm('Nosy Competitor');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await server.close();
    } finally {
      database[Symbol.dispose]();
    }
  };
  return {
    server,
    url: server.graphqlUrl,
    supplier,
    client,
    outsider,
    firm,
    store: TEST_STORE,
    db: database.db,
    dir: database.dir,
    rawSql: (statement, ...params) => rawSql(database.db, statement, ...params),
    cutOff: () => (TEST_STORE === 'postgres' ? refuseConnections(database.db) : server.db.$client.close()),
    sql,
    post,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A logger writing parsed lines into `lines` (every level), or a silent one. */
function testLogger(lines?: Record<string, any>[]) {
  if (!lines) return createLogger({ level: 'silent' });
  return createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
}

/** A server clock a test moves (startTestServer({ now: clock.now })), so entries can be recorded when they happen. */
export interface TestClock {
  now: () => string;
  /** Sets the clock; returns the time it was set to (RFC 3339). */
  at: (time: string | number) => string;
  /** Sets the clock back to the real time. */
  real: () => void;
}

/** A test clock starting at `start` (default: the real time). */
export function testClock(start?: string | number): TestClock {
  let t: string | null = start === undefined ? null : new Date(start).toISOString();
  return {
    now: () => t ?? new Date().toISOString(),
    at: (time) => (t = new Date(time).toISOString()),
    real: () => void (t = null),
  };
}

/** Fails with the response when a GraphQL call returned errors or payload errors; returns data. */
export function ok<T = any>(res: GqlResult<T>, field?: string): T {
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  const data = res.data as Record<string, any>;
  if (field && data[field]?.errors?.length) throw new Error(`${field} errors: ${JSON.stringify(data[field].errors)}`);
  return (field ? data[field] : data) as T;
}

/** Proposes and accepts a relationship between supplier and client; returns its id. */
export async function activeRelationship(ts: Pick<TestServer, 'supplier' | 'client'>, occurredAt?: string): Promise<string> {
  const proposed = ok(
    await ts.supplier.gql(
      `mutation($input: ProposeRelationshipInput!) { proposeRelationship(input: $input) { relationship { id } errors { code message } } }`,
      { input: { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt } },
    ),
    'proposeRelationship',
  );
  const id = proposed.relationship.id as string;
  ok(
    await ts.client.gql(
      `mutation($input: AcceptRelationshipInput!) { acceptRelationship(input: $input) { relationship { status } errors { code message } } }`,
      { input: { relationshipId: id, occurredAt } },
    ),
    'acceptRelationship',
  );
  return id;
}
