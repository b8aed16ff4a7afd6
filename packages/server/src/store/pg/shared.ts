import pg from 'pg';

/**
 * An EventTarget shared by every instance on one PostgreSQL database, for the alert pub/sub
 * (graphql-yoga's createPubSub({ eventTarget })): dispatchEvent sends the event with NOTIFY on
 * `channel`, and one LISTEN connection per instance hands what arrives (its own events included)
 * to the local listeners. PostgreSQL's own LISTEN/NOTIFY rather than Redis: the instances already
 * share the database, notifications are delivered only after the sending transaction commits, and
 * no other service has to be run, secured and watched. Payloads are small (one alert, well under
 * NOTIFY's 8,000-byte limit); delivery is at most once, as with any pub/sub: alerts are a nudge,
 * the ledger is the record. A lost LISTEN session is replaced after `retryMs` (ms), until one listens.
 */
export async function notifyEventTarget(config: pg.ClientConfig, pool: pg.Pool, channel = 'trustledger_alerts', retryMs = 1000) {
  const local = new EventTarget();
  const observers: ((type: string, detail: unknown) => void)[] = [];
  const onNotification = (message: pg.Notification) => {
    if (message.channel !== channel || !message.payload) return;
    try {
      const { type, detail } = JSON.parse(message.payload) as { type: string; detail: unknown };
      local.dispatchEvent(new CustomEvent(type, { detail }));
      for (const observe of observers) observe(type, detail);
    } catch (error) {
      console.error('alerts: a notification could not be read: %s', (error as Error).message);
    }
  };
  // The LISTEN session. When it is lost (the database restarted, the session was ended, the
  // network dropped), a new one listens again after `retryMs`, and again until one does: alerts
  // sent while none listened are lost (at most once, as above), later ones arrive again.
  let listener: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const again = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      listen().catch((error: Error) => {
        console.error('alerts: cannot LISTEN again yet: %s', error.message);
        again();
      });
    }, retryMs);
    retry.unref();
  };
  const lost = (client: pg.Client) => {
    if (closed || listener !== client) return;
    listener = null;
    client.end().catch(() => undefined);
    again();
  };
  const listen = async () => {
    const client = new pg.Client(config);
    client.on('error', (error) => {
      console.error('alerts: the LISTEN connection failed: %s', error.message);
      lost(client);
    });
    client.on('end', () => lost(client));
    await client.connect();
    try {
      await client.query(`listen ${channel}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    client.on('notification', onNotification);
    if (closed) return void client.end().catch(() => undefined);
    listener = client;
  };
  await listen();
  return {
    addEventListener: local.addEventListener.bind(local),
    removeEventListener: local.removeEventListener.bind(local),
    dispatchEvent(event: Event): boolean {
      const payload = JSON.stringify({ type: event.type, detail: (event as CustomEvent).detail });
      pool.query('select pg_notify($1, $2)', [channel, payload]).catch((error: Error) => console.error('alerts: NOTIFY failed: %s', error.message));
      return true;
    },
    /** Calls `fn` with every event that arrives, from any instance, whoever listens to its type. */
    observe: (fn: (type: string, detail: unknown) => void) => void observers.push(fn),
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const client = listener;
      listener = null;
      await client?.end();
    },
  };
}

/** Any constant: the session advisory lock the watchers' leader holds. */
const WATCHER_LOCK = 0x7472_7577;

/**
 * Leader election for the background watchers (overdue promises, churn stages): the instance whose
 * session holds pg_try_advisory_lock(WATCHER_LOCK) runs them; the others try again every
 * `retryMs`. The lock is the session's, so it passes to another instance when the leader's
 * connection ends (shut down, kill -9, network loss).
 */
export async function watcherLeader(config: pg.ClientConfig, retryMs = 5000) {
  let leader = false;
  let closed = false;
  let client: pg.Client | null = null;
  const attempt = async () => {
    if (closed || leader) return;
    try {
      if (!client) {
        const c = new pg.Client(config);
        c.on('error', () => {
          // The session (and the lock with it) is gone: try again from a new connection.
          leader = false;
          client = null;
        });
        await c.connect();
        client = c;
      }
      const { rows } = await client.query('select pg_try_advisory_lock($1) as ok', [WATCHER_LOCK]);
      leader = rows[0]?.ok === true;
    } catch {
      leader = false;
    }
  };
  await attempt();
  const timer = setInterval(() => void attempt(), retryMs);
  timer.unref();
  return {
    isLeader: () => leader,
    close: async () => {
      closed = true;
      clearInterval(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
