import { Elysia } from 'elysia'
import { CreateApiTokenBody, createApiToken, listApiTokens, revokeApiToken } from '../../auth/index.ts'
import { TokensPage } from '../../views/index.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError } from '../errors.ts'
import { field, parseForm, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther } from './page-response.ts'

const TOKEN_LABELS = { name: 'Name', expires_in_days: 'Expires after' }

/** A form's lifetime field: '' is none; anything else is a number for zod to judge (`abc` stays a string and fails). */
function daysOf(value: string): number | string | undefined {
  const trimmed = value.trim()
  if (trimmed === '') return undefined
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed
}

/**
 * `/settings/tokens`: list, create and revoke personal API tokens with plain forms (no
 * JavaScript needed). The new secret is rendered once in the create response, which is
 * `no-store`, and never again.
 */
export function settingsPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'settings-pages' })
    .get(
      '/settings/tokens',
      authedPage(deps, async ({ auth, ctx }) => htmlResponse(<TokensPage ctx={ctx} tokens={await listApiTokens(db, auth.user.id)} />)),
    )
    .post(
      '/settings/tokens',
      authedPage(deps, async ({ auth, ctx, body }) => {
        const days = daysOf(field(body, 'expires_in_days'))
        const form = parseForm(CreateApiTokenBody, { name: field(body, 'name'), ...(days === undefined ? {} : { expires_in_days: days }) }, body, TOKEN_LABELS)
        if (!form.ok) {
          const tokens = await listApiTokens(db, auth.user.id)
          return htmlResponse(<TokensPage ctx={ctx} tokens={tokens} values={form.values} errors={form.errors} />, 422)
        }
        const created = await createApiToken(db, auth.user.id, form.data)
        const tokens = await listApiTokens(db, auth.user.id)
        const page = <TokensPage ctx={ctx} tokens={tokens} created={{ name: created.token.name, secret: created.secret }} />
        return htmlResponse(page)
      }),
    )
    .post(
      '/settings/tokens/:id/revoke',
      authedPage(deps, async ({ auth, params }) => {
        if (!(await revokeApiToken(db, auth.user.id, pathId(params.id)))) throw new NotFoundError('Token not found.')
        return seeOther('/settings/tokens')
      }),
    )
}
