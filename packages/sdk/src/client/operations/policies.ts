import type { Core } from '../core.ts';
import { EntryFields, PolicyFields, UserErrorFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';
import type { InputOf } from './shared.ts';

const ProposePolicy = graphql(
  `
  mutation ProposePolicy($input: ProposePolicyInput!) {
    proposePolicy(input: $input) { policy { ...PolicyFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PolicyFields, EntryFields, UserErrorFields],
);

const AcceptPolicy = graphql(
  `
  mutation AcceptPolicy($input: AcceptPolicyInput!) {
    acceptPolicy(input: $input) { policy { ...PolicyFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PolicyFields, EntryFields, UserErrorFields],
);

export type PolicyProposal = ResultOf<typeof PolicyFields>;

export function policiesApi(core: Core) {
  return {
    /** Proposes scoring-policy overrides (weights, half-lives, thresholds); the other side accepts them. */
    propose: (input: InputOf<typeof ProposePolicy>, options?: RequestOptions) => core.run(ProposePolicy, 'proposePolicy', input, options),
    /** Accepts a policy the other side proposed; it is in force from now on. */
    accept: (input: InputOf<typeof AcceptPolicy>, options?: RequestOptions) => core.run(AcceptPolicy, 'acceptPolicy', input, options),
  };
}
