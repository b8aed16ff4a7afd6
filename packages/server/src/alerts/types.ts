import { builder } from '../graphql/builder.ts';
import { unauthenticated } from '../errors.ts';
import { PromiseRef } from '../promises/types.ts';
import { RelationshipRef } from '../relationships/types.ts';
import { ChurnStageEnum } from '../scorecard/types.ts';
import { type AlertEvent, guardedAlerts, subscribeAlerts } from './service.ts';

const AlertKindEnum = builder.enumType('AlertKind', { values: ['STAGE_CHANGED', 'PROMISE_OVERDUE'] as const });

const AlertRef = builder.objectRef<AlertEvent>('RelationshipAlert').implement({
  description: 'Something a party should act on: a churn-stage change or a promise that became overdue.',
  fields: (t) => ({
    kind: t.field({ type: AlertKindEnum, resolve: (a) => a.kind }),
    at: t.field({ type: 'DateTime', resolve: (a) => a.at }),
    message: t.exposeString('message'),
    relationship: t.field({ type: RelationshipRef, nullable: true, resolve: (a, _x, ctx) => ctx.loaders.relationship.load(a.relationshipId) }),
    stage: t.field({ type: ChurnStageEnum, nullable: true, resolve: (a) => a.stage ?? null }),
    previousStage: t.field({ type: ChurnStageEnum, nullable: true, resolve: (a) => a.previousStage ?? null }),
    promise: t.field({ type: PromiseRef, nullable: true, resolve: (a, _x, ctx) => (a.promise ? ctx.loaders.promise.load(a.promise) : null) }),
  }),
});

builder.subscriptionField('relationshipAlerts', (t) =>
  t.field({
    type: AlertRef,
    description:
      "Alerts about the viewer's relationships, over server-sent events (Accept: text/event-stream). The stream ends within seconds of its API key being revoked; alerts about a relationship stop once it has ended.",
    subscribe: (_root, _args, ctx) => {
      if (!ctx.viewer || !ctx.pubsub) throw unauthenticated();
      return guardedAlerts(ctx.store, ctx.viewer, subscribeAlerts(ctx.pubsub, ctx.viewer.firmId));
    },
    resolve: (event) => event,
  }),
);
