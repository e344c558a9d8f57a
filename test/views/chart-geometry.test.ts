import { describe, expect, it } from 'bun:test'
import {
  type GanttTask,
  ganttLayout,
  horizontalBarLayout,
  stackedBarLayout,
} from '../../src/views/index.ts'
import { linearScale, niceStep, niceTicks, timeTicks } from '../../src/views/charts/index.ts'
import { DAG_PLAN, T0, at } from './fixtures.ts'

function task(id: number, agent_role: string, status: GanttTask['status'], start: number | null, end: number | null, retry_count = 0): GanttTask {
  return { id, agent_role, status, started_at: start === null ? null : at(start), completed_at: end === null ? null : at(end), retry_count }
}

describe('scales', () => {
  it('maps a domain linearly onto a range, inverted ranges included', () => {
    const y = linearScale(0, 10, 100, 0)
    expect(y(0)).toBe(100)
    expect(y(5)).toBe(50)
    expect(y(10)).toBe(0)
  })

  it('maps a zero-width domain to the range start instead of dividing by zero', () => {
    expect(linearScale(3, 3, 10, 20)(3)).toBe(10)
  })

  it('picks 1-2-5 steps and a nice maximum that covers the data', () => {
    expect(niceStep(0.3)).toBe(0.5)
    expect(niceStep(7)).toBe(10)
    expect(niceTicks(17, 4)).toEqual({ max: 20, ticks: [0, 5, 10, 15, 20] })
    expect(niceTicks(0)).toEqual({ max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] })
  })

  it('puts time ticks on whole seconds, minutes or hours', () => {
    expect(timeTicks(50)).toEqual([0, 10, 20, 30, 40, 50])
    expect(timeTicks(600)).toEqual([0, 120, 240, 360, 480, 600])
    expect(timeTicks(0)).toEqual([0, 1])
  })
})

describe('ganttLayout', () => {
  const base = { stages: DAG_PLAN.stages, session_started_at: T0, session_ended_at: at(100), now: at(100) }

  it('draws each bar from its start to its end across the plot', () => {
    const g = ganttLayout({ ...base, tasks: [task(1, 'software_architect', 'completed', 0, 100), task(2, 'backend_developer', 'completed', 50, 75)] })
    const [a, b] = g.rows
    expect(a?.bar).toEqual({ x: g.plot.x0, width: g.plot.x1 - g.plot.x0 })
    const span = g.plot.x1 - g.plot.x0
    expect(b?.bar?.x).toBeCloseTo(g.plot.x0 + span / 2, 1)
    expect(b?.bar?.width).toBeCloseTo(span / 4, 1)
    expect(g.total_seconds).toBe(100)
  })

  it('orders rows by plan stage and gives every stage a band covering its rows', () => {
    const g = ganttLayout({
      ...base,
      tasks: [task(3, 'security_specialist', 'completed', 60, 90), task(1, 'software_architect', 'completed', 0, 30), task(2, 'database_administrator', 'completed', 30, 60)],
    })
    expect(g.rows.map((r) => [r.role, r.stage])).toEqual([
      ['software_architect', 1],
      ['database_administrator', 2],
      ['security_specialist', 3],
    ])
    for (const [i, stage] of g.stages.entries()) {
      expect(stage.y).toBe(g.rows[i]?.y ?? -1)
      expect(stage.height).toBe(g.row_height)
    }
    expect(g.rows.map((r) => r.y)).toEqual([g.plot.y0, g.plot.y0 + g.row_height, g.plot.y0 + 2 * g.row_height])
  })

  it('extends a running bar to now and leaves a pending task without a bar', () => {
    const g = ganttLayout({
      stages: DAG_PLAN.stages,
      session_started_at: T0,
      session_ended_at: null,
      now: at(40),
      tasks: [task(1, 'software_architect', 'running', 10, null), task(2, 'backend_developer', 'pending', null, null)],
    })
    expect(g.total_seconds).toBe(40)
    expect(g.rows[0]?.end_offset).toBe(40)
    expect((g.rows[0]?.bar?.x ?? 0) + (g.rows[0]?.bar?.width ?? 0)).toBeCloseTo(g.plot.x1, 1)
    expect(g.rows[1]?.bar).toBeNull()
  })

  it('places retry marks at their instants and keeps the retry count for failed rows', () => {
    const g = ganttLayout({
      ...base,
      tasks: [task(1, 'software_architect', 'failed', 0, 80, 2)],
      retries: [{ task_id: 1, at: at(25) }, { task_id: 1, at: at(50) }, { task_id: 9, at: at(10) }],
    })
    const span = g.plot.x1 - g.plot.x0
    expect(g.rows[0]?.retry_marks).toEqual([g.plot.x0 + span / 4, g.plot.x0 + span / 2])
    expect(g.rows[0]?.retry_count).toBe(2)
    expect(g.rows[0]?.status).toBe('failed')
  })

  it('gives an instant task a visible minimum width and clamps a cursor to the plot', () => {
    const g = ganttLayout({ ...base, tasks: [task(1, 'software_architect', 'completed', 10, 10)], cursor_at: at(500) })
    expect(g.rows[0]?.bar?.width).toBeGreaterThanOrEqual(3)
    expect(g.cursor_x).toBe(g.plot.x1)
  })

  it('never produces NaN, even with no tasks and no start time', () => {
    const g = ganttLayout({ stages: DAG_PLAN.stages, tasks: [], session_started_at: null, session_ended_at: null, now: T0 })
    expect(g.rows).toEqual([])
    const json = JSON.stringify(g, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? 'NOT-FINITE' : v))
    expect(json).not.toContain('NOT-FINITE')
    expect(g.total_seconds).toBe(1)
  })
})

describe('stackedBarLayout', () => {
  it('stacks segments bottom-up so each bar is as tall as its total', () => {
    const g = stackedBarLayout([
      { label: 'a', values: [2, 1, 0] },
      { label: 'b', values: [0, 0, 4] },
    ])
    expect(g.max).toBe(4)
    const [a, b] = g.bars
    const unit = (g.plot.y1 - g.plot.y0) / g.max
    expect(a?.segments.map((s) => s.series)).toEqual([0, 1])
    expect(a?.segments[0]?.y).toBeCloseTo(g.plot.y1 - 2 * unit, 1)
    expect(a?.segments[0]?.height).toBeCloseTo(2 * unit, 1)
    expect((a?.segments[1]?.y ?? 0) + (a?.segments[1]?.height ?? 0)).toBeCloseTo(a?.segments[0]?.y ?? -1, 1)
    expect(b?.segments).toHaveLength(1)
    expect(b?.segments[0]?.y).toBeCloseTo(g.plot.y0, 1)
  })

  it('spaces bars evenly inside the plot and thins labels when bars are narrow', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ label: String(i), values: [1] }))
    const g = stackedBarLayout(many)
    expect(g.bars[0]?.x).toBeGreaterThanOrEqual(g.plot.x0)
    const last = g.bars.at(-1)
    expect((last?.x ?? 0) + (last?.width ?? 0)).toBeLessThanOrEqual(g.plot.x1)
    const shown = g.bars.filter((b) => b.show_label).length
    expect(shown).toBeLessThan(60)
    expect(shown).toBeGreaterThan(1)
  })

  it('ignores negative values', () => {
    expect(stackedBarLayout([{ label: 'x', values: [-5, 2] }]).bars[0]?.total).toBe(2)
  })
})

describe('horizontalBarLayout', () => {
  it('scales bars against a fixed maximum and gives null values no bar', () => {
    const g = horizontalBarLayout([{ label: 'a', value: 0.5 }, { label: 'b', value: 1 }, { label: 'c', value: null }], { max: 1 })
    const span = g.plot.x1 - g.plot.x0
    expect(g.rows.map((r) => r.width)).toEqual([span / 2, span, 0])
  })

  it('clamps a value beyond the maximum to the plot', () => {
    const g = horizontalBarLayout([{ label: 'a', value: 3 }], { max: 1 })
    expect(g.rows[0]?.width).toBe(g.plot.x1 - g.plot.x0)
  })

  it('rounds the automatic maximum up to a nice number', () => {
    expect(horizontalBarLayout([{ label: 'a', value: 17 }]).max).toBe(20)
  })
})
