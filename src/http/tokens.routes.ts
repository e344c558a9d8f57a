import { Elysia } from 'elysia'
import { CreateApiTokenBody, createApiToken, listApiTokens, revokeApiToken } from '../auth/index.ts'
import { IdParams } from '../validation/index.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { ForbiddenError, NotFoundError } from './errors.ts'
import { ApiTokenList, CreatedApiToken, documented } from './api-schemas/index.ts'

/**
 * `/api/auth/tokens`: personal API tokens of the caller. The secret is in the create
 * response only; lists never carry it. A token is created from a login (the cookie),
 * not with another token, so a leaked token cannot mint ones that outlive its revocation.
 */
export function tokensRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/api/auth/tokens', detail: { tags: ['auth'] } })
    .use(authGuard(deps))
    .post(
      '/',
      async ({ auth, body, set }) => {
        if (auth.apiTokenId !== undefined) throw new ForbiddenError('API tokens are created from a login, not with another token.')
        const created = await createApiToken(deps.db, auth.user.id, body)
        set.status = 201
        return created
      },
      {
        auth: true,
        body: CreateApiTokenBody,
        detail: documented({ id: 'createApiToken', summary: 'Create a personal API token (the secret is shown once)', auth: 'cookie', 201: CreatedApiToken }),
      },
    )
    .get('/', ({ auth }) => listApiTokens(deps.db, auth.user.id), {
      auth: true,
      detail: documented({ id: 'listApiTokens', summary: 'Your personal API tokens (never a secret)', 200: ApiTokenList }),
    })
    .delete(
      '/:id',
      async ({ auth, params, set }) => {
        if (!(await revokeApiToken(deps.db, auth.user.id, params.id))) throw new NotFoundError('Token not found.')
        set.status = 204
      },
      { auth: true, params: IdParams, detail: documented({ id: 'revokeApiToken', summary: 'Revoke a personal API token: it stops working at once', 204: null, errors: [404] }) },
    )
}
