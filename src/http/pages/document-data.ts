import { type DesignDocumentRows, type FindingJson, type SessionJson, sessionJson, sessionTotals, type TaskJson, taskJson, type DecisionJson } from '../../sessions/index.ts'
import type { DesignDocumentData } from '../../views/index.ts'
import { findingView } from './finding-view.ts'
import { planView } from './plan-view.ts'
import { decisionView, sessionViewWithTotals, taskView } from './view-data.ts'

/** The design document's data for the views (page and Markdown). */
export function designDocumentData(rows: DesignDocumentRows): DesignDocumentData {
  const { session, tasks } = rows
  return {
    session: sessionViewWithTotals(session, sessionTotals(tasks)),
    team: { id: session.team_id, name: rows.team_name },
    started_by: rows.started_by,
    plan: planView(session.plan, tasks.map((t) => t.agent_role)),
    tasks: tasks.map((t) => taskView(t, rows.task_decisions.get(t.id) ?? [])),
    decisions: rows.decisions.map(decisionView),
    findings: rows.findings.map(findingView),
  }
}

/** The JSON export (API.md): `{session, tasks, decisions, findings, reviews}`. */
export interface DesignDocumentJson {
  session: SessionJson
  tasks: TaskJson[]
  decisions: DecisionJson[]
  findings: FindingJson[]
  /** Reviews belong to a later issue: empty for now. */
  reviews: never[]
}

/** The JSON export's object; tasks in plan order (creation order), decisions oldest first. */
export function designDocumentJson(rows: DesignDocumentRows): DesignDocumentJson {
  return {
    session: sessionJson(rows.session, sessionTotals(rows.tasks)),
    tasks: rows.tasks.map(taskJson),
    decisions: rows.decisions,
    findings: rows.findings,
    reviews: [],
  }
}

/** `session-<id>-<slug>.<ext>`: the slug is the feature name in lowercase ASCII words joined by dashes. */
export function exportFilename(session: { id: number; feature_name: string }, ext: 'md' | 'json'): string {
  const slug =
    session.feature_name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'design'
  return `session-${session.id}-${slug}.${ext}`
}
