import { describe, expect, it } from 'bun:test'
import { parseSimDirectives, simDirectiveFor, stripSimDirectives } from './sim-directives.ts'

describe('simulated-provider directives', () => {
  it('parses kinds, several targets, wildcards and attempt limits', () => {
    expect(parseSimDirectives('X [sim:fail=backend_developer:2,security_specialist] [sim:hang=*]')).toEqual([
      { kind: 'fail', role: 'backend_developer', untilAttempt: 2 },
      { kind: 'fail', role: 'security_specialist', untilAttempt: null },
      { kind: 'hang', role: '*', untilAttempt: null },
    ])
  })

  it('ignores unknown kinds, unknown roles and bad counts', () => {
    expect(parseSimDirectives('[sim:explode=backend_developer] [sim:fail=chef] [sim:fail=it_administrator:x]')).toEqual([])
  })

  it('applies a limited directive only up to its attempt', () => {
    const d = parseSimDirectives('[sim:fail=backend_developer:2]')
    expect(simDirectiveFor(d, 'backend_developer', 1)).toBe('fail')
    expect(simDirectiveFor(d, 'backend_developer', 2)).toBe('fail')
    expect(simDirectiveFor(d, 'backend_developer', 3)).toBeNull()
    expect(simDirectiveFor(d, 'software_architect', 1)).toBeNull()
  })

  it('lets the first matching directive win', () => {
    const d = parseSimDirectives('[sim:invalid=ui_ux_designer] [sim:fail=*]')
    expect(simDirectiveFor(d, 'ui_ux_designer', 1)).toBe('invalid')
    expect(simDirectiveFor(d, 'it_administrator', 1)).toBe('fail')
  })

  it('strips directives from text', () => {
    expect(stripSimDirectives('Invoice export [sim:fail=backend_developer] now')).toBe('Invoice export now')
  })
})
