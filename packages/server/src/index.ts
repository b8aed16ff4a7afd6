export { openDb, defaultDbPath, type Db } from './db/client.ts';
export { createApp, type App } from './yoga.ts';
export { startServer, type RunningServer, type StartOptions } from './server.ts';
export { createFirm, createApiKey, revokeApiKey } from './keys/service.ts';
export { schema, printedSchema } from './schema.ts';
