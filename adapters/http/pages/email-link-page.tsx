import { ErrorSummary, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export interface EmailLinkPageProps {
  readonly page: PageContext;
  readonly kind: 'verify' | 'revert';
  readonly token: string;
  readonly errors?: FieldErrors | undefined;
}

const TEXT = {
  verify: {
    title: 'Confirm your email address',
    intro: 'Confirm that this address is yours to finish.',
    action: '/verify-email',
    button: 'Confirm my address',
  },
  revert: {
    title: 'Undo the email change',
    intro: 'If you did not change the email address of your account, put the old address back here. Use "Forgot your password?" afterwards if someone else may know your password.',
    action: '/revert-email',
    button: 'Put my old address back',
  },
} as const;

/**
 * `/verify-email?token=` and `/revert-email?token=`: the link shows a button and only the POST acts, because mail
 * scanners open links in mails and must not confirm or undo anything by doing so.
 */
export function EmailLinkPage({ page, kind, token, errors }: EmailLinkPageProps) {
  const text = TEXT[kind];
  return (
    <Layout page={page} title={text.title}>
      <ErrorSummary errors={errors} labels={{}} />
      {token === '' ? (
        <p>This page opens from the link in a mail.</p>
      ) : (
        <>
          <p>{text.intro}</p>
          <Form page={page} action={text.action} label={text.title}>
            <input type="hidden" name="token" value={token} />
            <Submit>{text.button}</Submit>
          </Form>
        </>
      )}
    </Layout>
  );
}
