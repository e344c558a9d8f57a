import { describe, expect, it } from 'bun:test'
import { type Config, parseConfig } from '../../config/index.ts'
import { createProvider } from './create-provider.ts'

function config(env: Record<string, string>): Config {
  const parsed = parseConfig({ NODE_ID: 'unit', ...env })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.config
}

describe('createProvider', () => {
  it('picks the simulated provider by default', () => {
    const provider = createProvider(config({}))
    expect(provider.name).toBe('simulated')
    expect(provider.modelFor('software_architect')).toBe('simulated')
  })

  it('applies MODEL_NAME and per-role MODEL_OVERRIDES', () => {
    const provider = createProvider(config({ MODEL_NAME: 'sim-2', MODEL_OVERRIDES: 'security_specialist=sim-secure' }))
    expect(provider.modelFor('backend_developer')).toBe('simulated/sim-2')
    expect(provider.modelFor('security_specialist')).toBe('simulated/sim-secure')
  })

  it('rejects an override for a role that does not exist', () => {
    expect(() => createProvider(config({ MODEL_OVERRIDES: 'chef=gpt-4o' }))).toThrow(/unknown role "chef"/)
  })

  it('uses the default OpenAI model with an API key, and needs MODEL_NAME for a custom server', () => {
    expect(createProvider(config({ MODEL_PROVIDER: 'openai', OPENAI_API_KEY: 'k' })).modelFor('ui_ux_designer')).toBe('gpt-4.1-mini')
    expect(() => createProvider(config({ MODEL_PROVIDER: 'openai' }))).toThrow(/OPENAI_API_KEY/)
    expect(() => createProvider(config({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434' }))).toThrow(/MODEL_NAME/)
  })

  it('needs ANTHROPIC_API_KEY for the Anthropic provider', () => {
    expect(() => createProvider(config({ MODEL_PROVIDER: 'anthropic' }))).toThrow(/ANTHROPIC_API_KEY/)
    expect(createProvider(config({ MODEL_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k', MODEL_NAME: 'claude-haiku-4-5' })).modelFor('it_administrator')).toBe(
      'claude-haiku-4-5',
    )
  })

  it('reads MODEL_FALLBACKS at start-up: unknown roles and a fallback vendor without its key are refused', () => {
    expect(() => createProvider(config({ MODEL_FALLBACKS: 'chef=gpt-4o' }))).toThrow(/MODEL_FALLBACKS names unknown role "chef"/)
    expect(() => createProvider(config({ MODEL_PROVIDER: 'openai', OPENAI_API_KEY: 'k', MODEL_FALLBACKS: 'anthropic:claude-haiku-4-5' }))).toThrow(
      /MODEL_FALLBACKS naming anthropic: needs ANTHROPIC_API_KEY/,
    )
    const provider = createProvider(config({ MODEL_PROVIDER: 'openai', OPENAI_API_KEY: 'k', MODEL_FALLBACKS: 'security_specialist=gpt-4.1|anthropic:claude-haiku-4-5;*=llama3.1:8b', ANTHROPIC_API_KEY: 'a' }))
    expect(provider.name).toBe('openai')
    expect(provider.modelFor('security_specialist')).toBe('gpt-4.1-mini')
  })

  it('rejects MODEL_FALLBACKS, MODEL_CONCURRENCY and MODEL_JSON_SCHEMA values it cannot read, naming the variable', () => {
    for (const env of [{ MODEL_FALLBACKS: 'a b' }, { MODEL_CONCURRENCY: '0' }, { MODEL_JSON_SCHEMA: 'maybe' }]) {
      const parsed = parseConfig({ NODE_ID: 'unit', ...env })
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.errors.join('\n')).toContain(Object.keys(env)[0] as string)
    }
    expect(config({}).MODEL_CONCURRENCY).toBe(4)
    expect(config({ MODEL_FALLBACKS: 'gpt-4.1-mini,anthropic:claude-haiku-4-5' }).MODEL_FALLBACKS).toEqual({ '*': ['gpt-4.1-mini', 'anthropic:claude-haiku-4-5'] })
  })
})
