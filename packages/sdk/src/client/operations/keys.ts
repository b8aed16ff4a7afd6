import type { Core } from '../core.ts';
import { ApiKeyFields, UserErrorFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';
import type { InputOf } from './shared.ts';

const CreateApiKey = graphql(
  `
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { ...ApiKeyFields } secret errors { ...UserErrorFields } }
  }
`,
  [ApiKeyFields, UserErrorFields],
);

const RevokeApiKey = graphql(
  `
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) { apiKey { ...ApiKeyFields } errors { ...UserErrorFields } }
  }
`,
  [ApiKeyFields, UserErrorFields],
);

const ListApiKeys = graphql(
  `
  query ListApiKeys { viewer { apiKeys { ...ApiKeyFields } } }
`,
  [ApiKeyFields],
);

export type ApiKey = ResultOf<typeof ApiKeyFields>;

export function keysApi(core: Core) {
  return {
    /** Creates a key for the viewer's firm (admin keys only). The `secret` is returned this once: store it. */
    create: (input: InputOf<typeof CreateApiKey>, options?: RequestOptions) => core.run(CreateApiKey, 'createApiKey', input, options),
    /** Revokes one of the firm's keys; it is refused from the next request on (admin keys only). */
    revoke: (input: InputOf<typeof RevokeApiKey>, options?: RequestOptions) => core.run(RevokeApiKey, 'revokeApiKey', input, options),
    /** The firm's keys (admin keys only; other roles get an empty list). */
    async list(options?: RequestOptions): Promise<ApiKey[]> {
      const data = await core.query(ListApiKeys, {}, options);
      return data.viewer?.apiKeys ?? [];
    },
  };
}
