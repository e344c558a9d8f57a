import { describe, expect, it } from 'bun:test'
import { bearerSecret, generateApiTokenSecret, isApiTokenShaped } from './api-token.ts'

describe('API token secrets', () => {
  it('are sage_-prefixed, 256-bit and different each time', () => {
    const a = generateApiTokenSecret()
    const b = generateApiTokenSecret()
    expect(a).toStartWith('sage_')
    expect(a).toHaveLength(48)
    expect(a).not.toBe(b)
    expect(isApiTokenShaped(a)).toBe(true)
  })

  it('rejects anything not shaped like a secret', () => {
    expect(isApiTokenShaped('sage_short')).toBe(false)
    expect(isApiTokenShaped(`x${generateApiTokenSecret().slice(1)}`)).toBe(false)
    expect(isApiTokenShaped(`${generateApiTokenSecret()}!`)).toBe(false)
  })

  it('reads the secret of a bearer header only', () => {
    expect(bearerSecret('Bearer sage_abc')).toBe('sage_abc')
    expect(bearerSecret('bearer  sage_abc ')).toBe('sage_abc')
    expect(bearerSecret('Basic dXNlcjpwdw==')).toBeNull()
    expect(bearerSecret('Bearer a b')).toBeNull()
    expect(bearerSecret(null)).toBeNull()
  })
})
