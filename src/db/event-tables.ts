import type { ColumnType } from 'kysely'

export interface SessionEventsTable {
  session_id: number
  seq: number
  type: string
  at: ColumnType<Date, Date | string | undefined, never>
  data: ColumnType<unknown, string, never>
}

/** Tables of the events area (migrations 0030–0039). */
export interface EventTables {
  session_events: SessionEventsTable
}
