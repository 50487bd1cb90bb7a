import type { ComponentChildren } from 'preact';
import { Layout, type PageCtx } from './layout.tsx';
import { Button, ErrorSummary, PostForm, type FieldErrors } from './components.tsx';

/** One form on its own page: back link, error summary, heading, fields, one button (GOV.UK "one thing per page"). */
export function FormPage(props: { ctx: PageCtx; title: string; errors?: FieldErrors; back: string; intro?: ComponentChildren; action: string; submit: string; children: ComponentChildren }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title={props.title} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={props.back}>Retour</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{props.title}</h1>
      {props.intro}
      <PostForm action={props.action} csrf={props.ctx.csrf}>
        {props.children}
        <Button>{props.submit}</Button>
      </PostForm>
    </Layout>
  );
}
