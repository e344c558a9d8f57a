import type { PropsWithChildren } from '@kitajs/html'

/** Props of {@link PageHeader}. */
export interface PageHeaderProps {
  title: string
  subtitle?: string | null
  /** An eyebrow line above the title (e.g. the team name). */
  eyebrow?: string
  eyebrowHref?: string
}

/** The page's h1 with an optional eyebrow and subtitle; children are actions on the right. */
export function PageHeader(props: PropsWithChildren<PageHeaderProps>): JSX.Element {
  return (
    <div class="page-header">
      <div class="min-w-0">
        {props.eyebrow ? (
          props.eyebrowHref ? (
            <a href={props.eyebrowHref} class="eyebrow" safe>
              {props.eyebrow}
            </a>
          ) : (
            <p class="eyebrow" safe>
              {props.eyebrow}
            </p>
          )
        ) : (
          ''
        )}
        <h1 class="page-title" safe>
          {props.title}
        </h1>
        {props.subtitle ? (
          <p class="page-subtitle" safe>
            {props.subtitle}
          </p>
        ) : (
          ''
        )}
      </div>
      <div class="page-actions">{props.children}</div>
    </div>
  )
}
