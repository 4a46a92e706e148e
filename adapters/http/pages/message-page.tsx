import type { ComponentChildren } from 'preact';
import { Layout } from './layout.js';
import type { PageContext } from './page-context.js';

export interface MessagePageProps {
  readonly page: PageContext;
  readonly title: string;
  readonly children: ComponentChildren;
}

/** A page that only says something: done, refused, not found. */
export function MessagePage({ page, title, children }: MessagePageProps) {
  return (
    <Layout page={page} title={title}>
      {children}
    </Layout>
  );
}
