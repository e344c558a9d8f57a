import Html from '@kitajs/html'
import { Button, CONFIRMED_FIELD, CsrfField, LinkButton, PageHeader } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import type { PageContext } from '../view-types.ts'

/** Props of {@link ConfirmActionPage}. */
export interface ConfirmActionPageProps {
  ctx: PageContext
  /** The page title and heading, e.g. "Cancel this session?". */
  title: string
  /** What happens, in a sentence (plain text). */
  message: string
  /** Where the confirmed POST goes. */
  action: string
  confirm_label: string
  /** Where "go back" leads, doing nothing. */
  back_href: string
  back_label: string
  danger?: boolean
}

/** "Are you sure?" without JavaScript: the same POST again with `confirmed=1`, or a way back. */
export function ConfirmActionPage(props: ConfirmActionPageProps): JSX.Element {
  return (
    <Layout title={props.title} ctx={props.ctx}>
      <PageHeader title={props.title} />
      <section class="panel confirm-panel" aria-labelledby="confirm-message">
        <p id="confirm-message" safe>
          {props.message}
        </p>
        <form method="post" action={props.action} class="form-actions">
          <CsrfField token={props.ctx.csrf_token} />
          <input type="hidden" name={CONFIRMED_FIELD} value="1" />
          <Button variant={props.danger ? 'danger' : 'primary'}>{Html.escapeHtml(props.confirm_label)}</Button>
          <LinkButton href={props.back_href} variant="ghost">
            {Html.escapeHtml(props.back_label)}
          </LinkButton>
        </form>
      </section>
    </Layout>
  )
}
