import type { Core } from '../core.ts';
import { AuthenticationError } from '../errors.ts';
import { FirmFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';

const ViewerQuery = graphql(
  `
  query Viewer { viewer { firm { ...FirmFields } role } }
`,
  [FirmFields],
);

export type Viewer = NonNullable<ResultOf<typeof ViewerQuery>['viewer']>;
export type Firm = ResultOf<typeof FirmFields>;

/** The firm and role behind the client's API key. */
export async function fetchViewer(core: Core, options?: RequestOptions): Promise<Viewer> {
  const data = await core.query(ViewerQuery, {}, options);
  if (!data.viewer) throw new AuthenticationError('The API key was not accepted.');
  return data.viewer;
}
