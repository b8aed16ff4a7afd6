import type { Plugin } from 'graphql-yoga';

/** Whether TRUSTLEDGER_OTEL asks for OpenTelemetry tracing: `1`, `true`, `yes` or `on`. Off by default. */
export function tracingEnabled(value = process.env.TRUSTLEDGER_OTEL): boolean {
  return /^(1|true|yes|on)$/i.test((value ?? '').trim());
}

/**
 * The OpenTelemetry hook: envelop's plugin (@envelop/opentelemetry), loaded only when asked
 * (nothing of OpenTelemetry is imported otherwise). Each GraphQL operation becomes a SERVER span
 * named `<type>.<name>` (e.g. `query.WhoAmI`) with the operation's name, type and document;
 * never its variables or result (they hold business data), and no span per resolver (their cost).
 * Spans go to the global tracer provider of @opentelemetry/api, which the operator registers
 * (e.g. the OpenTelemetry Node SDK with an OTLP exporter, loaded with `node --import`); with none
 * registered they go nowhere.
 */
export async function loadTracing(): Promise<Plugin> {
  const [{ useOpenTelemetry }, { trace, SpanKind }] = await Promise.all([import('@envelop/opentelemetry'), import('@opentelemetry/api')]);
  return useOpenTelemetry(
    { document: true, variables: false, result: false, resolvers: false, defaultResolvers: false },
    trace.getTracerProvider(),
    SpanKind.SERVER,
    {},
    'trustledger',
  ) as Plugin;
}
