/**
 * Run by tracing.test.ts as its own process (`node --conditions=source --import tsx`): registers
 * an in-memory OpenTelemetry exporter as the global tracer provider, starts the server (tracing
 * as TRUSTLEDGER_OTEL says), asks one query and one mutation, and prints the finished spans as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createApiKey, createFirm, createLogger, startServer } from '@trustledger/server';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

const dir = mkdtempSync(join(tmpdir(), 'trustledger-otel-'));
// The store under test: TRUSTLEDGER_DATABASE_URL when tracing.test.ts sets it (a PostgreSQL run), else a SQLite file.
const server = await startServer({ port: 0, dbPath: join(dir, 'otel.db'), rateLimitPerMinute: 0, logger: createLogger({ level: 'silent' }) });
const firm = await createFirm(server.store, 'Harbor Hotels');
const key = (await createApiKey(server.store, firm.id, 'ADMIN')).secret;
const ask = async (query: string, variables: Record<string, unknown>) => {
  const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
};
const answers = [
  await ask('query WhoAmI($n: Int) { viewer { role relationships(first: $n) { edges { node { id } } } } }', { n: 5 }),
  await ask('mutation NewKey($i: CreateApiKeyInput!) { createApiKey(input: $i) { __typename } }', { i: { role: 'READER', label: 'secret-label' } }),
];
await server.close();
rmSync(dir, { recursive: true, force: true });
const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, kind: s.kind, attributes: s.attributes }));
process.stdout.write(JSON.stringify({ answers, spans }) + '\n');
