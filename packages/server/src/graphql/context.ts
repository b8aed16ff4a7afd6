import type { KeyRole } from '@trustledger/schema';
import type { AlertPubSub } from '../alerts/service.ts';
import type { Store } from '../store/index.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { newWorkBudget, type WorkBudget } from './work-budget.ts';

/** Who is asking: the firm behind the API key and the key's role. */
export interface Viewer {
  firmId: string;
  keyId: string;
  role: KeyRole;
}

export interface Context {
  /** The data-access module (store/): every read and write of this request. */
  store: Store;
  viewer: Viewer | null;
  loaders: Loaders;
  /** The server's clock, injectable for tests. */
  now: () => string;
  /** Where alerts are published; absent in contexts that serve no subscriptions. */
  pubsub?: AlertPubSub;
  /** Scoring work this request may still ask for (see work-budget.ts). */
  work: WorkBudget;
}

/** A fresh context per request: loaders never outlive one request. `work`: its scoring budget (default: the standing limits). */
export function createContext(store: Store, viewer: Viewer | null, now: () => string, pubsub?: AlertPubSub, work: WorkBudget = newWorkBudget()): Context {
  return { store, viewer, now, pubsub, loaders: createLoaders(store, viewer), work };
}
