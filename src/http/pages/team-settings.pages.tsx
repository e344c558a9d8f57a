import { Elysia } from 'elysia'
import { wakeTeamBudgetWaiters } from '../../orchestration/index.ts'
import { getTeam, TeamSettingsPatch, updateTeam } from '../../teams/index.ts'
import { paths, TEAM_SETTINGS_LABELS, TeamSettingsPage } from '../../views/index.ts'
import { requireTeam } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError } from '../errors.ts'
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

/** `/teams/:id/settings`: owners set the review and budget defaults of the team's new sessions. */
export function teamSettingsPages(deps: AppDeps) {
  const { db } = deps
  const load = async (userId: number, teamId: number) => {
    const role = await requireTeam(db, userId, teamId, 'manage')
    const team = await getTeam(db, teamId, role)
    if (!team) throw new NotFoundError('Team not found.')
    return team
  }
  return new Elysia({ name: 'team-settings-pages' })
    .get(
      '/teams/:id/settings',
      authedPage(deps, async ({ auth, ctx, params }) => {
        const team = await load(auth.user.id, pathId(params.id))
        return htmlResponse(<TeamSettingsPage ctx={ctx} team={teamView(team)} settings={team.settings} />)
      }),
    )
    .post(
      '/teams/:id/settings',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        const team = await load(auth.user.id, teamId)
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
          return htmlResponse(
            <TeamSettingsPage ctx={ctx} team={teamView(team)} settings={team.settings} values={form.values} errors={errors} />,
            422,
          )
        }
        await updateTeam(db, teamId, { settings: form.data }, team.role)
        await wakeTeamBudgetWaiters(db, deps.sessionControl, teamId)
        return seeOther(paths.teamSettings(teamId), { cookies: [flashCookie('settings_saved')] })
      }),
    )
}
