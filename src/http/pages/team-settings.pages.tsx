import { Elysia } from 'elysia'
import {
  activeSessionIds,
  deleteTeam,
  getTeam,
  listMembers,
  TeamSettingsPatch,
  type TeamView,
  UpdateTeamBody,
  unshareTeam,
  updateTeam,
} from '../../teams/index.ts'
import { ConfirmActionPage, type PageContext, paths, TEAM_FORM_LABELS, TEAM_SETTINGS_LABELS, TeamSettingsPage, type TeamSettingsPageProps } from '../../views/index.ts'
import { requireTeam } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError } from '../errors.ts'
import { isConfirmed } from './confirm.ts'
import { flashCookie } from './flash.ts'
import { field, fieldList, parseForm, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther } from './page-response.ts'
import { teamView } from './view-data.ts'

/** A form's amount: blank is none (null); anything else must read as a number (NaN fails the schema). */
function amountField(body: Record<string, unknown>, name: string): number | null {
  const text = field(body, name).trim()
  return text === '' ? null : Number(text)
}

/** The review setting the form's radio and checkboxes say: `none`, `all` or the ticked roles. */
function reviewField(body: Record<string, unknown>): unknown {
  const mode = field(body, 'review')
  return mode === 'roles' ? fieldList(body, 'review_roles') : mode
}

/**
 * `/teams/:id/settings` (owners): the team's name and description, the review and budget defaults
 * of its new sessions, sharing (a personal team has only its owner), and deleting it. Every form
 * works without JavaScript; the irreversible ones ask first (a confirmation page without JavaScript).
 */
export function teamSettingsPages(deps: AppDeps) {
  const { db } = deps
  const load = async (userId: number, teamId: number): Promise<{ team: TeamView; others: number }> => {
    const role = await requireTeam(db, userId, teamId, 'manage')
    const [team, members] = await Promise.all([getTeam(db, teamId, role), listMembers(db, teamId)])
    if (!team) throw new NotFoundError('Team not found.')
    return { team, others: members.filter((m) => m.role !== 'owner').length }
  }
  const page = (ctx: PageContext, loaded: { team: TeamView; others: number }, extra: Partial<TeamSettingsPageProps> = {}): JSX.Element => (
    <TeamSettingsPage ctx={ctx} team={teamView(loaded.team)} settings={loaded.team.settings} member_count={loaded.others} {...extra} />
  )
  const settingsPath = (ctx: PageContext, teamId: number): PageContext => ({ ...ctx, path: paths.teamSettings(teamId) })
  return new Elysia({ name: 'team-settings-pages' })
    .get(
      '/teams/:id/settings',
      authedPage(deps, async ({ auth, ctx, params }) => htmlResponse(page(ctx, await load(auth.user.id, pathId(params.id))))),
    )
    .post(
      '/teams/:id/settings',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        const loaded = await load(auth.user.id, teamId)
        const input = {
          review: reviewField(body),
          review_below_confidence: amountField(body, 'review_below_confidence'),
          session_budget_usd: amountField(body, 'session_budget_usd'),
          monthly_budget_usd: amountField(body, 'monthly_budget_usd'),
        }
        const form = parseForm(TeamSettingsPatch, input, body, TEAM_SETTINGS_LABELS)
        if (!form.ok) {
          // "Only these roles" with none ticked reads as a review error on the roles.
          const errors = field(body, 'review') === 'roles' && form.errors.review ? { ...form.errors, review_roles: form.errors.review } : form.errors
          return htmlResponse(page(settingsPath(ctx, teamId), loaded, { values: form.values, errors }), 422)
        }
        await updateTeam(db, teamId, { settings: form.data }, loaded.team.role)
        return seeOther(paths.teamSettings(teamId), { cookies: [flashCookie('settings_saved')] })
      }),
    )
    .post(
      '/teams/:id/settings/team',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        const loaded = await load(auth.user.id, teamId)
        const description = field(body, 'description').trim()
        const form = parseForm(UpdateTeamBody, { name: field(body, 'name'), description: description === '' ? null : description }, body, TEAM_FORM_LABELS)
        if (!form.ok) return htmlResponse(page(settingsPath(ctx, teamId), loaded, { team_form: { values: form.values, errors: form.errors } }), 422)
        await updateTeam(db, teamId, form.data, loaded.team.role)
        return seeOther(paths.teamSettings(teamId), { cookies: [flashCookie('team_saved')] })
      }),
    )
    .post(
      '/teams/:id/share',
      authedPage(deps, async ({ auth, params }) => {
        const teamId = pathId(params.id)
        const loaded = await load(auth.user.id, teamId)
        await updateTeam(db, teamId, { is_shared: true }, loaded.team.role)
        return seeOther(paths.team(teamId), { cookies: [flashCookie('team_shared')] })
      }),
    )
    .post(
      '/teams/:id/unshare',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        const { team, others } = await load(auth.user.id, teamId)
        if (others > 0 && !isConfirmed(body)) {
          return htmlResponse(
            <ConfirmActionPage
              ctx={ctx}
              title="Make this team personal?"
              message={`Its ${others} other member${others === 1 ? '' : 's'} will lose access to “${team.name}” and its sessions. You can share it and invite them again later.`}
              action={paths.teamUnshare(teamId)}
              confirm_label="Make personal"
              back_href={paths.teamSettings(teamId)}
              back_label="Keep it shared"
              danger
            />,
          )
        }
        await unshareTeam(db, teamId)
        return seeOther(paths.teamSettings(teamId), { cookies: [flashCookie('team_unshared')] })
      }),
    )
    .post(
      '/teams/:id/delete',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        const { team } = await load(auth.user.id, teamId)
        if (!isConfirmed(body)) {
          return htmlResponse(
            <ConfirmActionPage
              ctx={ctx}
              title={`Delete “${team.name}”?`}
              message="Its sessions, tasks, decisions, reviews and snapshots are deleted with it, and running agents are stopped. This cannot be undone."
              action={paths.teamDelete(teamId)}
              confirm_label="Delete team"
              back_href={paths.teamSettings(teamId)}
              back_label="Keep the team"
              danger
            />,
          )
        }
        // Stop running agents before their rows go.
        for (const sessionId of await activeSessionIds(db, teamId)) await deps.sessionControl.cancel(sessionId)
        await deleteTeam(db, teamId)
        return seeOther(paths.teams(), { cookies: [flashCookie('team_deleted')] })
      }),
    )
}
