import type { Core } from '../core.ts';
import { EntryFields, RelationshipFields, UserErrorFields } from '../fragments.ts';
import { graphql } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';
import type { InputOf } from './shared.ts';

const HandOverRepresentative = graphql(
  `
  mutation HandOverRepresentative($input: HandOverRepresentativeInput!) {
    handOverRepresentative(input: $input) {
      relationship { ...RelationshipFields } entry { ...EntryFields } errors { ...UserErrorFields }
    }
  }
`,
  [RelationshipFields, EntryFields, UserErrorFields],
);

export function representativesApi(core: Core) {
  return {
    /** Names the viewer side's new representative (a handover, with continuity on record). */
    handOver: (input: InputOf<typeof HandOverRepresentative>, options?: RequestOptions) =>
      core.run(HandOverRepresentative, 'handOverRepresentative', input, options),
  };
}
