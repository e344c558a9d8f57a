import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { EVENT_TYPES } from '../../src/events/index.ts'
import { req, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(60_000)

describe('the event stream in the OpenAPI document', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('describes each frame of /api/sessions/{id}/events as one of the event types, with its data schema', async () => {
    const doc = await (await req(t.app, '/api/docs')).json()
    const schema = doc.paths['/api/sessions/{id}/events'].get.responses['200'].content['text/event-stream'].schema
    const members = schema.oneOf as Array<{ properties: { type: { const: string }; data: { properties: Record<string, unknown>; required: string[] } } }>
    expect(members.map((m) => m.properties.type.const)).toEqual(EVENT_TYPES)
    const started = members.find((m) => m.properties.type.const === 'task_started')
    expect(started?.properties.data.required.sort()).toEqual(['agent_role', 'attempt', 'task_id'])
  })
})
