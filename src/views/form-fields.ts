/**
 * Names of form fields the views write and the server reads, in one leaf module (as `paths.ts`
 * is for URLs), so views never import the routes.
 */

/** The form field plain HTML forms carry the login's CSRF token in (the `X-CSRF-Token` header's twin). */
export const CSRF_FIELD = '_csrf'
