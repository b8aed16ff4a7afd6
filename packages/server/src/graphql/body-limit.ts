import { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** The largest request body the API reads, in bytes (yoga's default, which this replaces). */
export const MAX_REQUEST_BODY_BYTES = 25_000_000;

const tooLarge = () =>
  createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
const badLength = () => createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
/** Only one non-negative integer is a valid Content-Length (a list of them is a request-smuggling attempt). */
const CONTENT_LENGTH = /^\d+$/;

/**
 * Refuses request bodies over `limit` bytes, as yoga's own check does (413, REQUEST_ENTITY_TOO_LARGE;
 * an invalid Content-Length 400), at less cost per request: a body Node's HTTP parser reads is
 * exactly its Content-Length long (it refuses a request that also says Transfer-Encoding), so
 * checking that header is enough there; only a body without one (chunked), or a Request handed to
 * `app.fetch`, is counted as it streams. Use with yoga's `maxRequestBodySize: false`, after the
 * request parsers (last in `plugins`).
 */
export function useBodyLimit(limit = MAX_REQUEST_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!CONTENT_LENGTH.test(length)) throw badLength();
        if (Number(length) > limit) throw tooLarge();
        if ((serverContext as { req?: unknown } | undefined)?.req instanceof IncomingMessage) return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(counted(req, limit, fetchAPI)));
    },
  };
}

/** The request with its body counted as it streams: an error once more than `limit` bytes have come. */
function counted(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  const body = request.body;
  if (!body) return request;
  // A native stream pipes into the native TransformStream; the ponyfill's into its own (yoga issue 4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const limited = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: limited, duplex: 'half' } as RequestInit);
}
