import pg from 'pg'
import { createClient } from 'redis'

/** Where the test run's services are; written by test/setup.ts into the environment. */
export interface TestServices {
  /** A fresh, migrated PostgreSQL database for this run, or null when no server is reachable. */
  postgresUrl: string | null
  /** Redis for this run, or null when no server is reachable. */
  redisUrl: string | null
  /** Every Redis key a test writes starts with this; the run deletes them at the end. */
  redisPrefix: string
}

export const PG_ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** The services test/setup.ts found. */
export function testServices(): TestServices {
  return {
    postgresUrl: process.env.SAGE_TEST_PG_URL || null,
    redisUrl: process.env.SAGE_TEST_REDIS_URL || null,
    redisPrefix: process.env.SAGE_TEST_REDIS_PREFIX ?? 'sage-test:',
  }
}

/** Runs `fn` with an admin connection to the PostgreSQL server. */
export async function withPgAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** True when a PostgreSQL server answers at PG_ADMIN_URL. */
export async function postgresReachable(): Promise<boolean> {
  try {
    await withPgAdmin((c) => c.query('select 1'))
    return true
  } catch {
    return false
  }
}

/** True when a Redis server answers at REDIS_TEST_URL. */
export async function redisReachable(): Promise<boolean> {
  const client = createClient({ url: REDIS_TEST_URL, socket: { connectTimeout: 1000, reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return true
  } catch {
    return false
  } finally {
    if (client.isOpen) client.destroy()
  }
}

/** A URL for database `name` on the admin server. */
export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/** A new, empty database with a unique name. `drop()` removes it. */
export async function createScratchDatabase(label: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `sage_test_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase()
  await withPgAdmin((c) => c.query(`create database "${name}"`))
  return {
    name,
    url: databaseUrl(name),
    drop: () => withPgAdmin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  }
}

/** Deletes every Redis key under `prefix`. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const client = createClient({ url })
  client.on('error', () => {})
  await client.connect()
  let deleted = 0
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) deleted += await client.unlink(keys)
    }
  } finally {
    client.destroy()
  }
  return deleted
}
