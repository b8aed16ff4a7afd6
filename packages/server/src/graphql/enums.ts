import {
  GOAL_STATUSES,
  INTERACTION_KINDS,
  KEY_ROLES,
  METRIC_DIRECTIONS,
  PROMISE_KINDS,
  PROMISE_OUTCOMES,
  PROMISE_STATES,
  RELATIONSHIP_STATUSES,
  SIDES,
} from '@trustledger/schema';
import { builder } from './builder.ts';

export const SideEnum = builder.enumType('Side', { values: SIDES });
export const KeyRoleEnum = builder.enumType('KeyRole', { values: KEY_ROLES });
export const RelationshipStatusEnum = builder.enumType('RelationshipStatus', { values: RELATIONSHIP_STATUSES });
export const GoalStatusEnum = builder.enumType('GoalStatus', { values: GOAL_STATUSES });
export const MetricDirectionEnum = builder.enumType('MetricDirection', { values: METRIC_DIRECTIONS });
export const PromiseKindEnum = builder.enumType('PromiseKind', { values: PROMISE_KINDS });
export const PromiseStateEnum = builder.enumType('PromiseState', { values: PROMISE_STATES });
export const PromiseOutcomeEnum = builder.enumType('PromiseOutcome', { values: PROMISE_OUTCOMES });
export const InteractionKindEnum = builder.enumType('InteractionKind', { values: INTERACTION_KINDS });
