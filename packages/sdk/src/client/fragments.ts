import { graphql } from './graphql.ts';

/** Shared selections: what the SDK returns for each type. */

export const EntryFields = graphql(`
  fragment EntryFields on LedgerEntry {
    id relationshipId seq type payload actorId occurredAt recordedAt prevHash hash status backdated
  }
`);

export const FirmFields = graphql(`
  fragment FirmFields on Firm { id name rawId }
`);

export const RelationshipFields = graphql(
  `
  fragment RelationshipFields on Relationship {
    id rawId status viewerSide proposedBy createdAt
    supplier { ...FirmFields }
    client { ...FirmFields }
    counterparty { ...FirmFields }
    head { seq hash }
    representatives { side name since }
  }
`,
  [FirmFields],
);

export const MetricFields = graphql(`
  fragment MetricFields on Metric { id name unit direction target baseline accountable }
`);

export const GoalFields = graphql(
  `
  fragment GoalFields on Goal { id title proposedBy status metrics { ...MetricFields } }
`,
  [MetricFields],
);

export const MeasurementFields = graphql(`
  fragment MeasurementFields on Measurement { id value observedAt recordedBy }
`);

export const PromiseFields = graphql(`
  fragment PromiseFields on Promise {
    id promisor kind description amount { amount currency } madeAt originalDueAt dueAt
    state outcome overdue resolvedAt voided deliveredShare
  }
`);

export const InteractionFields = graphql(`
  fragment InteractionFields on Interaction {
    id kind initiatedBy occurredAt note volume score firstResponseAt resolvedAt voided
  }
`);

export const PolicyFields = graphql(`
  fragment PolicyFields on PolicyProposal { id policy proposedBy status }
`);

export const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKey { id role label createdAt revokedAt }
`);

export const UserErrorFields = graphql(`
  fragment UserErrorFields on UserError { __typename code message path }
`);
