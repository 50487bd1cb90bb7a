import { NotificationBanner } from '../../platform/ui/components.tsx';
import { formatEuros } from '../../platform/format.ts';
import { NO_QUOTIENT_NOTICE } from '../tariffs/tariffs.outcomes.ts';
import type { DayPrice } from './bookings.prices.ts';

/** « 3,40 € » in a day's description (read after its state and deadline). */
export function PriceText(props: { price?: DayPrice | null; class: string }) {
  if (!props.price) return null;
  return (
    <span class={props.class}>
      <span class="visually-hidden">prix : </span>
      {formatEuros(props.price.amountCents)}
    </span>
  );
}

/**
 * Above a calendar that shows prices: the QF they come from and where the brackets are explained;
 * without a known QF, why the family pays the highest price and how to change it.
 */
export function PriceNote(props: { calendars: readonly { rows: readonly { days: readonly { price?: DayPrice | null }[] }[] }[] }) {
  const prices = props.calendars.flatMap((c) => c.rows.flatMap((r) => r.days.map((d) => d.price).filter((p): p is DayPrice => !!p)));
  if (prices.length === 0) return null;
  const unknown = prices.some((p) => p.trace.quotient === null);
  if (unknown)
    return (
      <NotificationBanner kind="warning" title="Quotient familial inconnu">
        <p>
          {NO_QUOTIENT_NOTICE} <a href="/famille/tarifs">Combien vais-je payer ?</a>
        </p>
      </NotificationBanner>
    );
  const quotients = [...new Set(prices.map((p) => p.trace.quotient))];
  return (
    <p>
      Chaque jour indique son prix pour votre foyer (quotient familial {quotients.map((q) => `${q} €`).join(' puis ')}). <a href="/famille/tarifs">Combien vais-je payer ?</a>
    </p>
  );
}
