import { describe, expect, it } from 'bun:test'
import {
  checkNewEvent,
  EVENT_TYPES,
  type EventData,
  type EventHandlers,
  type EventType,
  isSessionEnd,
  type NewSessionEvent,
  parseEventData,
  SessionEventSchema,
} from '../../src/events/index.ts'

const ref = { task_id: 3, agent_role: 'backend_developer' }

/** One event of each type, shaped as its writer writes it (or, for types nobody writes yet, as its schema says). */
const SAMPLES: { [T in EventType]: EventData<T> } = {
  session_started: { feature_name: 'Login', plan: 'dag', tasks: [ref] },
  task_started: { ...ref, attempt: 1 },
  task_progress: { ...ref, attempt: 1, analysis: 'So far', chars: 6 },
  task_completed: { ...ref, attempt: 2 },
  task_failed: { ...ref, attempt: 3, error: 'boom', skipped_tasks: [{ task_id: 4, agent_role: 'frontend_developer' }] },
  task_retrying: { ...ref, failed_attempt: 1, next_attempt: 2, retry_at: '2026-01-01T00:00:01.000Z', error: 'x' },
  task_review_requested: { ...ref, attempt: 1, reason: 'confidence', confidence: 0.4 },
  task_reviewed: { ...ref, attempt: 1, review_id: 9, verdict: 'changes', comment: 'More detail', reviewer: 'ann' },
  decision_added: { decision_id: 5, decision_text: 'Use JWT', category: 'security', confidence: 'high', source: 'user' },
  budget_exceeded: { ...ref, scope: 'session', budget_usd: 1, spent_usd: 0.9, estimate_usd: 0.2 },
  consistency_checked: { score: 80, errors: 1, warnings: 2 },
  session_resumed: { tasks: [ref] },
  session_completed: { status: 'completed', duration_seconds: 12, tasks: [{ ...ref, status: 'completed' }] },
  session_failed: { status: 'failed', duration_seconds: 12, tasks: [{ ...ref, status: 'failed' }] },
  session_cancelled: { status: 'cancelled', duration_seconds: null, tasks: [{ ...ref, status: 'cancelled' }], cancelled_tasks: [ref] },
}

const stored = (type: string, data: unknown) => ({ id: '7', session_id: 1, type, at: '2026-01-01T00:00:00.000Z', data })

describe('session event definitions', () => {
  it('defines exactly the event types API.md lists', () => {
    expect(EVENT_TYPES).toEqual([
      'session_started',
      'task_started',
      'task_progress',
      'task_completed',
      'task_failed',
      'task_retrying',
      'task_review_requested',
      'task_reviewed',
      'decision_added',
      'budget_exceeded',
      'consistency_checked',
      'session_resumed',
      'session_completed',
      'session_failed',
      'session_cancelled',
    ])
  })

  for (const type of EVENT_TYPES) {
    it(`${type}: a writer's event passes the write check and reads back as it was`, () => {
      const event = { type, data: SAMPLES[type] } as NewSessionEvent
      expect(checkNewEvent(event)).toBe(event)
      expect(parseEventData(type, JSON.parse(JSON.stringify(SAMPLES[type])))).toEqual(event)
      expect(SessionEventSchema.parse(stored(type, SAMPLES[type]))).toEqual(stored(type, SAMPLES[type]) as never)
    })

    it(`${type}: data of another shape fails both paths`, () => {
      const bad = { ...SAMPLES[type], ...(Object.fromEntries(Object.keys(SAMPLES[type]).map((k) => [k, { wrong: true }])) as object) }
      expect(() => checkNewEvent({ type, data: bad } as NewSessionEvent)).toThrow()
      expect(parseEventData(type, bad)).toBeNull()
      expect(SessionEventSchema.safeParse(stored(type, bad)).success).toBe(false)
    })
  }

  it('rejects a task event without its task id or with a zero attempt', () => {
    expect(() => checkNewEvent({ type: 'task_started', data: { agent_role: 'x', attempt: 1 } } as never)).toThrow()
    expect(() => checkNewEvent({ type: 'task_started', data: { task_id: 1, agent_role: 'x', attempt: 0 } })).toThrow()
    expect(parseEventData('task_completed', { task_id: '1', agent_role: 'x', attempt: 1 })).toBeNull()
  })

  it('is strict when writing (an unknown field is an error) and tolerant when reading (it passes)', () => {
    const data = { ...SAMPLES.task_completed, extra: 1 }
    expect(() => checkNewEvent({ type: 'task_completed', data } as NewSessionEvent)).toThrow()
    expect(parseEventData('task_completed', data)?.data).toMatchObject(SAMPLES.task_completed)
  })

  it('reads an older event that lacks a later optional field', () => {
    const { skipped_tasks: _, ...older } = SAMPLES.task_failed
    expect(parseEventData('task_failed', older)).toEqual({ type: 'task_failed', data: older })
  })

  it('reads nothing from a row of an unknown type, and never throws', () => {
    expect(parseEventData('task_exploded', {})).toBeNull()
    expect(parseEventData('session_started', null)).toBeNull()
    expect(() => checkNewEvent({ type: 'task_exploded', data: {} } as never)).toThrow('Unknown event type')
  })

  it('makes a handler map that misses an event type a type error (checked by the typecheck over this file)', () => {
    // @ts-expect-error: every other event type is missing, so the map does not type-check
    const partial: EventHandlers<string> = { session_started: () => 'started' }
    expect(Object.keys(partial)).toEqual(['session_started'])
  })

  it('names the three session ends as terminal, and only those', () => {
    expect(EVENT_TYPES.filter(isSessionEnd)).toEqual(['session_completed', 'session_failed', 'session_cancelled'])
  })
})
