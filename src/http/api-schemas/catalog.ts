import { z } from 'zod'
import { ApiToken, ApiTokenList, CreatedApiToken, LoginResult, User } from './auth.ts'
import { ErrorBody } from './common.ts'
import { AgentStats, AgentStatsList, Calibration, DashboardStats, RecentDecision, RecentDecisionList, RoleCalibration, RoleStats, TeamStats } from './dashboard.ts'
import { Estimate, Finding, FindingEnvelope, FindingList, Review, ReviewList, SessionDiff, SessionExport, TaskEnvelope } from './iteration.ts'
import {
  Decision,
  DecisionEnvelope,
  DecisionList,
  DecisionPage,
  Session,
  SessionDetail,
  SessionEnvelope,
  SessionPage,
  Snapshot,
  SnapshotEnvelope,
  SnapshotList,
  Task,
  TaskDecision,
  TaskList,
  TaskWithDecisions,
} from './sessions.ts'
import { Member, MemberEnvelope, Team, TeamDetail, TeamEnvelope, TeamList, TeamSettings } from './teams.ts'

/**
 * Every named shape of the JSON API, by the name it has in the document's `components.schemas`
 * (and so in a generated client). A response documented with one of these refers to it by name.
 */
export const API_SCHEMAS = {
  Error: ErrorBody,
  User,
  LoginResult,
  ApiToken,
  ApiTokenList,
  CreatedApiToken,
  TeamSettings,
  Team,
  TeamList,
  TeamEnvelope,
  Member,
  MemberEnvelope,
  TeamDetail,
  Session,
  SessionEnvelope,
  SessionPage,
  SessionDetail,
  SessionExport,
  Task,
  TaskDecision,
  TaskWithDecisions,
  TaskList,
  TaskEnvelope,
  Decision,
  DecisionList,
  DecisionEnvelope,
  DecisionPage,
  Snapshot,
  SnapshotEnvelope,
  SnapshotList,
  Review,
  ReviewList,
  Finding,
  FindingList,
  FindingEnvelope,
  Estimate,
  SessionDiff,
  DashboardStats,
  RoleStats,
  TeamStats,
  RecentDecision,
  RecentDecisionList,
  AgentStats,
  AgentStatsList,
  RoleCalibration,
  Calibration,
} as const satisfies Record<string, z.ZodType>

/** The name of one of {@link API_SCHEMAS}. */
export type ApiSchemaName = keyof typeof API_SCHEMAS

const NAMES = new Map<z.ZodType, ApiSchemaName>(Object.entries(API_SCHEMAS).map(([name, schema]) => [schema, name as ApiSchemaName]))

/** The component name of `schema`; null when it is not one of {@link API_SCHEMAS}. */
export function apiSchemaName(schema: z.ZodType): ApiSchemaName | null {
  return NAMES.get(schema) ?? null
}

/** A `$ref` to a named schema of `components.schemas`. */
export function schemaRef(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` }
}

/**
 * `components.schemas` of the document: every named shape as JSON Schema (2020-12, OpenAPI 3.1's
 * dialect), the shapes it contains referred to by `$ref`. Pure: the same input gives the same output.
 */
export function componentSchemas(): Record<string, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(API_SCHEMAS)) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', uri: (id) => schemaRef(id).$ref })
  const out: Record<string, Record<string, unknown>> = {}
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>
    out[id] = rest
  }
  return out
}
