import { hostname } from 'node:os'
import { availableParallelism } from 'node:os'
import { z } from 'zod'

/** Where a process runs: HTTP only, an actor node only, or both (the default). */
export const ROLES = ['all', 'web', 'node'] as const
export type Role = (typeof ROLES)[number]

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const MODEL_PROVIDERS = ['simulated', 'openai', 'anthropic'] as const
export type ModelProvider = (typeof MODEL_PROVIDERS)[number]

/** An empty variable counts as unset, as shells and compose files often write `X=`. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional())
}

function int(min: number, max: number, what: string) {
  return z.coerce
    .number({ error: `must be ${what}` })
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: `must be ${what}` })
}

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol)
      } catch {
        return false
      }
    },
    { error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  )

/** `0`, `800` or a range `200-1500` (milliseconds). */
const latency = z
  .string()
  .regex(/^\d+(-\d+)?$/, { error: 'must be a number of milliseconds or a range like 200-1500' })
  .transform((v) => {
    const [lo, hi] = v.split('-').map(Number) as [number, number | undefined]
    return { min: lo, max: hi ?? lo }
  })
  .refine((r) => r.min <= r.max, { error: 'range must go from low to high' })

/**
 * Every environment variable Sage Mode reads, with its default. `src/main.ts` parses
 * `process.env` through it once; nothing else reads the environment.
 */
export const ConfigSchema = z.object({
  PORT: int(0, 65535, 'an integer from 0 to 65535').default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  DATABASE_POOL_SIZE: int(1, 1000, 'an integer from 1 to 1000').default(10),
  REDIS_URL: optional(url(['redis:', 'rediss:'])),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]*$/, { error: 'may hold only letters, digits and : _ . -' }).default('sage:'),
  SAGE_ROLE: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).default('all'),
  SAGE_DATA_DIR: z.string().min(1).default('./data'),
  NODE_ID: optional(z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, { error: 'must be 1-100 characters of A-Z a-z 0-9 _ . : -' })),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  APP_ORIGIN: optional(url(['http:', 'https:'])),
  METRICS_TOKEN: optional(z.string().regex(/^[\x21-\x7e]{16,256}$/, { error: 'must be 16-256 printable ASCII characters, no spaces' })),
  /** Behind a reverse proxy: take the client address from the last `X-Forwarded-For` entry (for per-IP rate limits). */
  TRUST_PROXY: optional(z.stringbool({ error: 'must be true or false' })).transform((v) => v ?? false),
  SESSION_TTL_SECONDS: int(60, 60 * 60 * 24 * 365, 'an integer number of seconds from 60 to 31536000').default(60 * 60 * 24 * 14),
  BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024, 'an integer number of bytes from 1024 to 52428800').default(256 * 1024),
  SAGE_PARTITIONS: int(1, 4096, 'an integer from 1 to 4096').default(64),
  SAGE_LEASE_MS: int(1000, 600_000, 'an integer number of milliseconds from 1000 to 600000').default(5000),
  /** One core is left to the actor runtime's own thread (and, on a small host, PostgreSQL). */
  SAGE_WORKERS: int(1, 256, 'an integer from 1 to 256').default(Math.max(1, availableParallelism() - 1)),
  /** Partition batches a node commits at once: fewer means bigger batches under load (commit-slots.ts). */
  SAGE_COMMIT_CONCURRENCY: int(1, 1000, 'an integer from 1 to 1000').default(Math.max(2, 2 * availableParallelism())),
  MODEL_PROVIDER: z.enum(MODEL_PROVIDERS, { error: `must be one of ${MODEL_PROVIDERS.join(', ')}` }).default('simulated'),
  MODEL_NAME: optional(z.string().min(1)),
  /** Per-role model override, e.g. `security_specialist=gpt-4.1,software_architect=claude-sonnet-4-5`. */
  MODEL_OVERRIDES: optional(
    z
      .string()
      .regex(/^[a-z_]+=[^,=\s]+(,[a-z_]+=[^,=\s]+)*$/, { error: 'must look like role=model,role=model' })
      .transform((v) => Object.fromEntries(v.split(',').map((pair) => pair.split('=') as [string, string]))),
  ),
  OPENAI_BASE_URL: optional(url(['http:', 'https:'])),
  OPENAI_API_KEY: optional(z.string().min(1)),
  ANTHROPIC_BASE_URL: optional(url(['http:', 'https:'])),
  ANTHROPIC_API_KEY: optional(z.string().min(1)),
  /** JSON object of `model: {input, output}` prices in USD per million tokens, merged over the built-in table. */
  MODEL_PRICES: optional(z.string().min(2)),
  SIM_LATENCY_MS: latency.default({ min: 0, max: 0 }),
  /** Model calls open at once per provider on this node, across its Workers (a local server serves a few at a time). */
  MODEL_CONCURRENCY: int(1, 10_000, 'an integer from 1 to 10000').default(4),
  /**
   * Models tried in order after a retryable failure (5xx, 429 past its retries, a refused connection):
   * `gpt-4.1-mini,anthropic:claude-haiku-4-5` for every role, or per role with `*` for the rest:
   * `security_specialist=gpt-4.1|anthropic:claude-sonnet-4-5;*=gpt-4.1-mini`. `openai:`/`anthropic:` picks the provider.
   */
  MODEL_FALLBACKS: optional(
    z
      .string()
      .regex(/^(?:[^=;|,\s]+(?:,[^=;|,\s]+)*|(?:[a-z_]+|\*)=[^=;|,\s]+(?:\|[^=;|,\s]+)*(?:;(?:[a-z_]+|\*)=[^=;|,\s]+(?:\|[^=;|,\s]+)*)*)$/, {
        error: 'must look like model,provider:model or role=model|model;*=model',
      })
      .transform((v): Record<string, string[]> =>
        v.includes('=')
          ? Object.fromEntries(v.split(';').map((group) => [group.slice(0, group.indexOf('=')), group.slice(group.indexOf('=') + 1).split('|')]))
          : { '*': v.split(',') },
      ),
  ),
  /** Send the role's JSON schema as the response format: `auto` (until the server refuses it), `on`, or `off` (plain JSON instructions). */
  MODEL_JSON_SCHEMA: z.enum(['auto', 'on', 'off'], { error: 'must be one of auto, on, off' }).default('auto'),
  TASK_MAX_RETRIES: int(0, 20, 'an integer from 0 to 20').default(3),
  TASK_RETRY_BASE_MS: int(0, 600_000, 'an integer number of milliseconds from 0 to 600000').default(1000),
  TASK_TIMEOUT_MS: int(100, 3_600_000, 'an integer number of milliseconds from 100 to 3600000').default(300_000),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 'an integer number of milliseconds from 0 to 600000').default(10_000),
})

export type RawConfig = z.output<typeof ConfigSchema>

/** The validated configuration with derived values filled in. */
export interface Config extends RawConfig {
  NODE_ID: string
}

/** The outcome of reading the environment: a config, or one line per bad variable. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] }

/** Parses an environment map. Never throws; each error names the variable and what is allowed. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment')
      const got = env[name]
      const shown = got === undefined ? '' : ` (got ${JSON.stringify(got.length > 60 ? `${got.slice(0, 60)}…` : got)})`
      return `${name} ${issue.message}${shown}`
    })
    return { ok: false, errors }
  }
  const raw = parsed.data
  if (raw.SAGE_ROLE !== 'all' && (!raw.DATABASE_URL || !raw.REDIS_URL)) {
    // Separate web and node processes share work only through PostgreSQL and Redis.
    return { ok: false, errors: [`SAGE_ROLE=${raw.SAGE_ROLE} needs DATABASE_URL and REDIS_URL (processes share work through PostgreSQL and Redis); use SAGE_ROLE=all for the embedded default`] }
  }
  return { ok: true, config: { ...raw, NODE_ID: raw.NODE_ID ?? `${hostname()}-${process.pid}` } }
}
