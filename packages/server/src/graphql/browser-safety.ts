import type { Plugin } from 'graphql-yoga';

/**
 * Browser safety (issue 11). A page on another site can make a browser POST a form
 * (`application/x-www-form-urlencoded`, `multipart/form-data`) or `text/plain` without a CORS
 * preflight; the API therefore accepts GraphQL POSTs only as `application/json`, which a browser
 * sends cross-site only after a preflight that CORS (off by default) refuses. GET serves queries
 * and subscriptions only (graphql-yoga refuses mutations over GET).
 */
export function useJsonOnly(): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type === 'application/json') return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message: `GraphQL requests must be sent as POST with "content-type: application/json" (got ${type ? `"${type}"` : 'none'}); forms and text bodies are refused so that other websites cannot make a browser run mutations.`,
                extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
              },
            ],
          }),
          { status: 415, headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' } },
        ),
      );
    },
  };
}

/**
 * The origins allowed to call the API from a browser (CORS): none unless
 * `TRUSTLEDGER_CORS_ORIGINS` lists them, comma-separated (e.g.
 * `https://portal.example.com,https://ops.example.com`). The built-in portal is same-origin and
 * needs none. Credentials (cookies) are never allowed; the API key travels in `Authorization`.
 */
export function corsOrigins(value = process.env.TRUSTLEDGER_CORS_ORIGINS): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter((s) => s.length > 0);
}

/** graphql-yoga's `cors` option for the allowed origins: off for everyone else. */
export function corsOption(origins: readonly string[]) {
  if (origins.length === 0) return false as const;
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !origins.includes(origin)) return false as const;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id'],
      // So a page on an allowed origin can read its quota and the request id it may quote.
      exposedHeaders: ['ratelimit', 'ratelimit-policy', 'retry-after', 'x-request-id'],
      maxAge: 600,
    };
  };
}
