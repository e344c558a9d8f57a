import { describe, expect, it } from 'bun:test'
import { parseConfig } from './config.ts'

function errorsFor(env: Record<string, string>): string[] {
  const result = parseConfig(env)
  return result.ok ? [] : result.errors
}

describe('parseConfig', () => {
  it('fills every default from an empty environment', () => {
    const result = parseConfig({})
    if (!result.ok) throw new Error(result.errors.join('\n'))
    expect(result.config).toMatchObject({
      PORT: 3000,
      SAGE_ROLE: 'all',
      SAGE_DATA_DIR: './data',
      LOG_LEVEL: 'info',
      SAGE_PARTITIONS: 64,
      SAGE_LEASE_MS: 5000,
      MODEL_PROVIDER: 'simulated',
      SIM_LATENCY_MS: { min: 0, max: 0 },
      TASK_MAX_RETRIES: 3,
      TASK_TIMEOUT_MS: 300_000,
    })
    expect(result.config.DATABASE_URL).toBeUndefined()
    expect(result.config.NODE_ID).toMatch(/-\d+$/)
  })

  it('treats an empty variable as unset', () => {
    const result = parseConfig({ DATABASE_URL: '', REDIS_URL: '' })
    expect(result.ok && result.config.DATABASE_URL === undefined && result.config.REDIS_URL === undefined).toBe(true)
  })

  it('names the variable, what is allowed and the value given', () => {
    expect(errorsFor({ PORT: 'abc' })).toEqual(['PORT must be an integer from 0 to 65535 (got "abc")'])
    expect(errorsFor({ PORT: '70000' })).toEqual(['PORT must be an integer from 0 to 65535 (got "70000")'])
    expect(errorsFor({ SAGE_ROLE: 'worker' })).toEqual(['SAGE_ROLE must be one of all, web, node (got "worker")'])
    expect(errorsFor({ DATABASE_URL: 'mysql://x' })).toEqual([
      'DATABASE_URL must be a URL starting with postgres:// or postgresql:// (got "mysql://x")',
    ])
  })

  it('reports every bad variable at once, one line each', () => {
    expect(errorsFor({ LOG_LEVEL: 'loud', SAGE_PARTITIONS: '0', REDIS_URL: 'http://x' })).toHaveLength(3)
  })

  it('parses a latency range and rejects a reversed one', () => {
    const result = parseConfig({ SIM_LATENCY_MS: '200-1500' })
    expect(result.ok && result.config.SIM_LATENCY_MS).toEqual({ min: 200, max: 1500 })
    expect(errorsFor({ SIM_LATENCY_MS: '900-100' })).toEqual(['SIM_LATENCY_MS range must go from low to high (got "900-100")'])
    expect(errorsFor({ SIM_LATENCY_MS: 'fast' })[0]).toStartWith('SIM_LATENCY_MS must be a number of milliseconds')
  })

  it('parses per-role model overrides', () => {
    const result = parseConfig({ MODEL_OVERRIDES: 'security_specialist=gpt-4.1,software_architect=claude-x' })
    expect(result.ok && result.config.MODEL_OVERRIDES).toEqual({ security_specialist: 'gpt-4.1', software_architect: 'claude-x' })
  })

  it('refuses a web or node role without PostgreSQL and Redis to share work through', () => {
    expect(errorsFor({ SAGE_ROLE: 'web' })[0]).toStartWith('SAGE_ROLE=web needs DATABASE_URL and REDIS_URL')
    expect(errorsFor({ SAGE_ROLE: 'node', DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://r' })).toEqual([])
  })

  it('truncates a long bad value in the message', () => {
    const [line] = errorsFor({ NODE_ID: 'x'.repeat(500) })
    expect(line?.length).toBeLessThan(200)
  })
})
