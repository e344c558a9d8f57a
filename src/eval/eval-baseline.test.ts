import { describe, expect, it } from 'bun:test'
import { type Baseline, baselineFigures, compareFigures, DEFAULT_TOLERANCE } from './eval-baseline.ts'
import { computeFigures, type EvalFigures, percentile, type TaskRecord } from './eval-figures.ts'

function task(role: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    role,
    status: 'completed',
    retries: 0,
    input_tokens: 1000,
    output_tokens: 400,
    cost_usd: 0.01,
    decisions: 3,
    attempts: [{ outcome: 'completed', repaired: false, error_kind: null, duration_ms: 100 }],
    verdicts: null,
    ...overrides,
  }
}

function figures(tasks: TaskRecord[]): EvalFigures {
  return computeFigures([
    { brief: 'b', session_id: 1, status: 'completed', consistency_score: null, tasks, expectations: { checked: 2, met: 1, missed: ['x'], unchecked: [] } },
  ])
}

function baselineOf(f: EvalFigures): Baseline {
  return { provider: 'simulated', tolerance: DEFAULT_TOLERANCE, figures: f }
}

describe('eval figures', () => {
  it('counts first-try validity over answered attempts and repairs over completed ones; n/a where nothing was measured', () => {
    const f = figures([
      task('a', { attempts: [{ outcome: 'completed', repaired: true, error_kind: null, duration_ms: 300 }] }),
      task('a', {
        retries: 1,
        attempts: [
          { outcome: 'failed', repaired: false, error_kind: 'output', duration_ms: null },
          { outcome: 'completed', repaired: false, error_kind: null, duration_ms: 100 },
        ],
      }),
    ])
    const a = f.roles.a
    expect(a?.first_try_valid_rate).toBe(0.3333)
    expect(a?.repair_rate).toBe(0.5)
    expect(a?.retries).toBe(1)
    expect(a?.latency_p50_ms).toBe(100)
    expect(a?.latency_p99_ms).toBe(300)
    expect(a?.review_free_rate).toBeNull()
    expect(f.suite.consistency_score).toBeNull()
    expect(f.expectations_met_rate).toBe(0.5)
  })

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3)
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5)
    expect(percentile([], 50)).toBeNull()
  })
})

describe('comparing with a baseline', () => {
  it('keeps no latency in a baseline', () => {
    expect(JSON.stringify(baselineFigures(figures([task('a')]), DEFAULT_TOLERANCE))).not.toContain('latency')
  })

  it('finds no difference between equal figures', () => {
    const f = figures([task('a')])
    expect(compareFigures(baselineOf(f), figures([task('a')]))).toEqual([])
  })

  it('flags a move the wrong way beyond the tolerance, and only that', () => {
    const base = figures([task('a')])
    const within = compareFigures(baselineOf(base), figures([task('a', { input_tokens: 1010 })]))
    expect(within).toEqual([
      { path: 'suite.input_tokens', baseline: 1000, current: 1010, regression: false, ignored: false },
      { path: 'roles.a.input_tokens', baseline: 1000, current: 1010, regression: false, ignored: false },
    ])
    const beyond = compareFigures(baselineOf(base), figures([task('a', { input_tokens: 1100, decisions: 4 })]))
    expect(beyond.filter((d) => d.regression).map((d) => d.path)).toEqual(['suite.input_tokens', 'roles.a.input_tokens'])
    // More decisions is not worse.
    expect(beyond.find((d) => d.path === 'roles.a.decisions_per_agent')?.regression).toBe(false)
  })

  it('never judges latency, and treats a vanished role as a regression', () => {
    const base = figures([task('a'), task('b')])
    const slower = figures([task('a', { attempts: [{ outcome: 'completed', repaired: false, error_kind: null, duration_ms: 9000 }] })])
    const diff = compareFigures(baselineOf(base), slower)
    expect(diff.map((d) => d.path)).not.toContain('roles.a.latency_p99_ms')
    expect(diff.find((d) => d.path === 'roles.b.input_tokens')).toMatchObject({ regression: true, current: null })
  })
})
