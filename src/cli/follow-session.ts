import { createLogUpdate } from 'log-update'
import type { ApiClient } from './api-client.ts'
import { applyEvent, applyTask, type BoardTask, createBoard, formatCost, renderBoard } from './agent-board.ts'
import { EXIT } from './cli-error.ts'
import { type CliIo, println, warn } from './cli-io.ts'
import { followEvents } from './event-follower.ts'
import { formatEventLine } from './event-line.ts'

/** How to show a followed session. */
export interface FollowSessionOptions {
  /** Live redrawn lines (a terminal) or one plain line per event (a pipe). */
  live: boolean
  /** How the user runs the CLI, for the "follow it again" hint. */
  command?: string
}

interface SessionDetail {
  session: { id: number; feature_name: string; status: string }
  tasks: BoardTask[]
}

/** The exit code of an ended session: 0 completed, 1 failed or cancelled. */
export function outcomeExitCode(status: string): number {
  return status === 'completed' ? EXIT.ok : EXIT.failed
}

/**
 * Follows session `sessionId` until it ends: on a terminal, one live line per agent (status,
 * progress bar, tokens, cost, elapsed) redrawn from the JSON event stream; otherwise one plain
 * line per event. Reconnects with Last-Event-ID when the stream drops. Resolves with the exit
 * code: 0 completed, 1 failed or cancelled, 130 when interrupted (the session keeps running).
 */
export async function followSession(io: CliIo, client: ApiClient, sessionId: number, options: FollowSessionOptions): Promise<number> {
  const detail = await client.call<SessionDetail>('GET', `/api/sessions/${sessionId}`)
  const board = createBoard(detail.session, detail.tasks)
  const controller = new AbortController()
  let interrupted = false
  const removeInterrupt = io.onInterrupt(() => {
    interrupted = true
    controller.abort()
  })
  const live = options.live ? createLogUpdate(io.stdout, { showCursor: false }) : null
  const draw = (): void => live?.(renderBoard(board, Date.now()).join('\n'))
  const ticker = live ? setInterval(draw, 250) : null
  const refreshTasks = async (): Promise<void> => {
    const tasks = await client.call<BoardTask[]>('GET', `/api/sessions/${sessionId}/tasks`, { signal: controller.signal }).catch(() => null)
    for (const task of tasks ?? []) applyTask(board, task)
  }
  draw()
  try {
    const events = followEvents(client, sessionId, {
      signal: controller.signal,
      onReconnect: (attempt, reason) => {
        if (live) board.status = `reconnecting (${attempt})`
        else warn(io, `event stream lost (${reason}); reconnecting (attempt ${attempt})`)
      },
    })
    for await (const event of events) {
      if (live && board.status.startsWith('reconnecting')) board.status = 'active'
      applyEvent(board, event)
      if (live) {
        if (event.type === 'task_completed' || event.type === 'task_failed' || event.type.startsWith('session_')) await refreshTasks()
        draw()
      } else {
        println(io, formatEventLine(event))
      }
    }
  } finally {
    if (ticker) clearInterval(ticker)
    removeInterrupt()
  }
  if (interrupted) {
    if (live) {
      draw()
      live.done()
    }
    warn(io, `stopped following; session ${sessionId} keeps running. Follow it again with: ${options.command ?? 'sage'} follow ${sessionId}`)
    return EXIT.interrupted
  }
  if (live) {
    await refreshTasks()
    draw()
    live.done()
  }
  const final = await client.call<SessionDetail>('GET', `/api/sessions/${sessionId}`).catch(() => null)
  const status = final?.session.status ?? board.status
  const tasks = final?.tasks ?? []
  const tokens = tasks.reduce((n, t) => n + t.input_tokens + t.output_tokens, 0)
  const cost = tasks.some((t) => typeof t.cost_usd === 'number') ? tasks.reduce((n, t) => n + (t.cost_usd ?? 0), 0) : null
  println(io, `session ${sessionId} ${status}: ${tokens} tokens, ${formatCost(cost)}`)
  return outcomeExitCode(status)
}
