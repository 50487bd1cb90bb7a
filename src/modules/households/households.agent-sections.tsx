import type { ComponentChildren } from 'preact';

/**
 * The sections other modules contribute to the agent's household page (requests, enrolments, bookings and
 * attendance now; documents, invoices and balance as they land), each under its own heading, in the order
 * the composition root gives them.
 */
export function ContributedSections(props: { sections: readonly { title: string; content: ComponentChildren }[] }) {
  return (
    <>
      {props.sections.map((s, i) => (
        <section aria-labelledby={`section-${i}`}>
          <h2 id={`section-${i}`}>{s.title}</h2>
          {s.content}
        </section>
      ))}
    </>
  );
}
