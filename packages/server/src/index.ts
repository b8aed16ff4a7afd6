export { openDb, defaultDbPath, type Db, openStore, type OpenStoreOptions, type Store, type WriteTx, SqliteStore } from './store/index.ts';
export { createApp, type App } from './yoga.ts';
export { startServer, type RunningServer, type StartOptions } from './server.ts';
export { createFirm, createApiKey, revokeApiKey, createFirmIn, createApiKeyIn } from './keys/service.ts';
export { schema, printedSchema, printedPossibleTypes, possibleTypesOf } from './schema.ts';
export { seedDemo, isEmpty, DEMO_FIRMS, type DemoResult } from './demo/index.ts';
export { importCsv, type ImportResult } from './csv/import.ts';
export { reviewRows, reviewCsv } from './csv/export.ts';
