import type { ComponentChildren } from 'preact';
import type { PageContext } from './page-context.js';

export interface LayoutProps {
  readonly page: PageContext;
  readonly title: string;
  /** A short notice after a redirect (PRG): fixed texts only, never echoed from the request. */
  readonly notice?: string | undefined;
  /** Scripts of this page, by asset name; each gets the response's nonce. */
  readonly scripts?: readonly string[];
  readonly children: ComponentChildren;
}

/** The frame of every page: one stylesheet, a header saying who is logged in, the page's `<main>`. */
export function Layout({ page, title, notice, scripts = [], children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · Auth Service`}</title>
        <link rel="stylesheet" href={page.assets.url('pages.css')} />
        {scripts.map((name) => (
          <script type="module" src={page.assets.url(name)} nonce={page.nonce} />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <a class="brand" href={page.user ? '/account' : '/login'}>
            Auth Service
          </a>
          {page.user ? (
            <nav aria-label="Account">
              <span class="who">{page.user.username.value}</span>
              <a href="/account">Account</a>
              <a href="/logout">Log out</a>
            </nav>
          ) : (
            <nav aria-label="Account">
              <a href="/login">Log in</a>
              <a href="/register">Register</a>
            </nav>
          )}
        </header>
        <main id="main" tabindex={-1}>
          <h1>{title}</h1>
          {notice ? (
            <p class="notice" role="status">
              {notice}
            </p>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
}
