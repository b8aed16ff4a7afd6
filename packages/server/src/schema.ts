import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './graphql/builder.ts';
import './graphql/errors.ts';
import './firms/types.ts';
import './ledger/types.ts';
import './ledger/mutations.ts';
import './relationships/types.ts';
import './relationships/mutations.ts';
import './goals/types.ts';
import './promises/types.ts';
import './interactions/types.ts';
import './scorecard/types.ts';
import './keys/types.ts';
import './alerts/types.ts';

/** The executable schema. */
export const schema = builder.toSchema({ sortSchema: true });

/** The contract as committed in packages/schema/schema.graphql. */
export const printedSchema = (): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
