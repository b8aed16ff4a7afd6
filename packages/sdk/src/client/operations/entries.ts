import type { Core } from '../core.ts';
import { EntryFields, RelationshipFields, UserErrorFields } from '../fragments.ts';
import { graphql } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';
import type { InputOf } from './shared.ts';

const ConfirmEntry = graphql(
  `
  mutation ConfirmEntry($input: ConfirmEntryInput!) {
    confirmEntry(input: $input) { target { ...EntryFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [EntryFields, UserErrorFields],
);

const DisputeEntry = graphql(
  `
  mutation DisputeEntry($input: DisputeEntryInput!) {
    disputeEntry(input: $input) { target { ...EntryFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [EntryFields, UserErrorFields],
);

const WithdrawDispute = graphql(
  `
  mutation WithdrawDispute($input: WithdrawDisputeInput!) {
    withdrawDispute(input: $input) { target { ...EntryFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [EntryFields, UserErrorFields],
);

const VoidEntry = graphql(
  `
  mutation VoidEntry($input: VoidEntryInput!) {
    voidEntry(input: $input) { target { ...EntryFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [EntryFields, UserErrorFields],
);

const ProposeResolution = graphql(
  `
  mutation ProposeResolution($input: ProposeResolutionInput!) {
    proposeResolution(input: $input) { target { ...EntryFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [EntryFields, UserErrorFields],
);

const RecordEntries = graphql(
  `
  mutation RecordEntries($input: RecordEntriesInput!) {
    recordEntries(input: $input) { entries { ...EntryFields } relationship { ...RelationshipFields } errors { ...UserErrorFields } }
  }
`,
  [EntryFields, RelationshipFields, UserErrorFields],
);

export function entriesApi(core: Core) {
  return {
    /** Confirms the other side's entry (`target`), or accepts its proposal, appending a confirmation `entry`. */
    confirm: (input: InputOf<typeof ConfirmEntry>, options?: RequestOptions) => core.run(ConfirmEntry, 'confirmEntry', input, options),
    /** Disputes the other side's entry (once); while open it weighs as the policy says, and lapses after the policy's window. */
    dispute: (input: InputOf<typeof DisputeEntry>, options?: RequestOptions) => core.run(DisputeEntry, 'disputeEntry', input, options),
    /** Withdraws your dispute of an entry; it counts again. */
    withdrawDispute: (input: InputOf<typeof WithdrawDispute>, options?: RequestOptions) =>
      core.run(WithdrawDispute, 'withdrawDispute', input, options),
    /** Voids your own entry (at once while nothing depends on it, else a proposal the other side accepts); it stays in the chain. */
    void: (input: InputOf<typeof VoidEntry>, options?: RequestOptions) => core.run(VoidEntry, 'voidEntry', input, options),
    /** Proposes how a dispute ends (the entry STANDS or is STRUCK); the other side accepts with `confirm` on the proposal. */
    proposeResolution: (input: InputOf<typeof ProposeResolution>, options?: RequestOptions) =>
      core.run(ProposeResolution, 'proposeResolution', input, options),
    /** Appends up to 1000 entries (ledger form: earlier entries named by seq) to one ledger, all or nothing. */
    recordBatch: (input: InputOf<typeof RecordEntries>, options?: RequestOptions) => core.run(RecordEntries, 'recordEntries', input, options),
  };
}
