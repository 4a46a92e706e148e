import type { ComponentChildren, JSX } from 'preact';
import type { FieldErrors, PageContext } from './page-context.js';

export interface FormProps {
  readonly page: PageContext;
  readonly action: string;
  /** A label for the form when a page has several (read out by screen readers). */
  readonly label?: string;
  readonly children: ComponentChildren;
}

/** A POST form carrying the CSRF token. Works without JavaScript; the browser's own validation is kept. */
export function Form({ page, action, label, children }: FormProps) {
  return (
    <form method="post" action={action} aria-label={label}>
      <input type="hidden" name="csrf_token" value={page.csrfToken} />
      {children}
    </form>
  );
}

export interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'email' | 'password' | 'hidden';
  readonly value?: string | undefined;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly hint?: string;
  readonly errors?: FieldErrors | undefined;
  /** `id` prefix when a page has two fields of one name (two forms). */
  readonly form?: string;
  readonly inputmode?: 'numeric' | 'text' | 'email';
  readonly pattern?: string;
  readonly minlength?: number;
  readonly maxlength?: number;
  readonly autofocus?: boolean;
}

/**
 * One labelled input. An error names its field: the message sits under the label, the input points at it with
 * `aria-describedby` and says `aria-invalid`, and the error summary links to the input.
 */
export function Field({ name, label, type = 'text', value, autocomplete, required = true, hint, errors, form, inputmode, pattern, minlength, maxlength, autofocus }: FieldProps) {
  const id = fieldId(name, form);
  const error = errors?.[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  // The input's attributes as one object: preact narrows `type` per value, and ours is chosen at run time.
  const input = {
    id: id,
    name: name,
    type: type,
    value: type === 'password' ? undefined : value,
    autocomplete: autocomplete,
    required: required,
    'aria-describedby': describedBy,
    'aria-invalid': error ? 'true' : undefined,
    inputmode: inputmode,
    pattern: pattern,
    minlength: minlength,
    maxlength: maxlength,
    autofocus: autofocus || Boolean(error && Object.keys(errors ?? {})[0] === name),
    spellcheck: type === 'text' || type === 'email' ? false : undefined,
    autocapitalize: type === 'text' || type === 'email' ? 'none' : undefined,
  };
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <input {...(input as JSX.IntrinsicElements['input'])} />
    </div>
  );
}

export function fieldId(name: string, form?: string): string {
  return form ? `${form}-${name}` : name;
}

export interface ErrorSummaryProps {
  readonly errors: FieldErrors | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly form?: string;
}

/** The errors of a form at its top, each linking to its field; announced when the page loads (role="alert"). */
export function ErrorSummary({ errors, labels, form }: ErrorSummaryProps) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby={`${form ?? 'form'}-error-title`}>
      <h2 id={`${form ?? 'form'}-error-title`}>There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>{field === 'form' || labels[field] === undefined ? message : <a href={`#${fieldId(field, form)}`}>{message.startsWith(labels[field]!) ? message : `${labels[field]}: ${message}`}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

export function Submit({ children, variant }: { readonly children: ComponentChildren; readonly variant?: 'secondary' | 'danger' }) {
  return (
    <button type="submit" class={variant ? `button ${variant}` : 'button'}>
      {children}
    </button>
  );
}
