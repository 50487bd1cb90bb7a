import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ErrorSummary, NotificationBanner, PostForm, Select, SummaryList, Table, TextField, type FieldErrors, type FormValues, type Option } from '../../platform/ui/components.tsx';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros, plural } from '../../platform/format.ts';
import type { CertificateKind } from './certificates.domain.ts';
import { KIND_LABELS, periodText, VERIFY } from './certificates.outcomes.ts';

export interface CertificatesData {
  household: { id: string; name: string; reference: string };
  children: { id: string; first_name: string; last_name: string }[];
  certificates: { id: string; number: string; kind: CertificateKind; period_start: string; period_end: string; amount_cents: number | null; day_count: number | null; issued_at: string; issued_by: string | null; child_first_name: string | null }[];
  today: string;
}

/** The last 24 months, most recent first: what a family asks a certificate for. */
function monthOptions(today: string): Option[] {
  const options: Option[] = [];
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  for (let i = 0; i < 24; i++) {
    const value = `${y}-${String(m).padStart(2, '0')}`;
    options.push({ value, label: monthLabel(value) });
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return options;
}

const what = (c: CertificatesData['certificates'][number]) =>
  c.kind === 'attendance' ? `${c.child_first_name ?? 'Enfant'} : ${plural(Number(c.day_count ?? 0), 'jour', 'jours')} de présence` : formatEuros(Number(c.amount_cents ?? 0));

/** The three forms (presence, payment, tax) and the certificates already issued; `base` is /attestations or the agent's household path. */
export function CertificatesPage(props: { ctx: PageCtx; data: CertificatesData; base: string; back?: string; errors?: FieldErrors; values?: FormValues }) {
  const { data, base } = props;
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const months = monthOptions(data.today);
  const year = Number(data.today.slice(0, 4));
  const years: Option[] = [year - 1, year, year - 2, year - 3].map((y) => ({ value: String(y), label: String(y) }));
  const current = data.today.slice(0, 7);
  const title = props.back ? `Attestations – ${data.household.name}` : 'Attestations';
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      {props.back && (
        <p>
          <a href={props.back}>Retour au foyer</a>
        </p>
      )}
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      <p>Chaque attestation est un document PDF avec un numéro et un code de vérification : la personne à qui vous la remettez (employeur, CAF, impôts) peut la vérifier sur la page « Vérifier une attestation ».</p>

      <h2>Attestation fiscale (frais de garde)</h2>
      <p>Pour le crédit d'impôt « frais de garde des enfants de moins de 6 ans » : ce que vous avez payé dans l'année pour la garde (accueil périscolaire, centre de loisirs) de vos enfants nés en {year - 7} ou après, selon l'année. Les repas de la cantine ne comptent pas.</p>
      <PostForm action={`${base}/fiscale`} csrf={props.ctx.csrf}>
        <Select name="annee" label="Année des paiements" hint="En général, l'année dernière : celle de la déclaration de revenus." options={years} errors={errors} values={{ annee: values.annee ?? String(year - 1) }} />
        <Button>Télécharger l'attestation fiscale</Button>
      </PostForm>

      <h2>Attestation de paiement</h2>
      <PostForm action={`${base}/paiement`} csrf={props.ctx.csrf}>
        <Select name="paiement_du" label="Paiements reçus à partir de" options={months} errors={errors} values={{ paiement_du: values.paiement_du ?? current }} />
        <Select name="paiement_au" label="jusqu'à la fin de" options={months} errors={errors} values={{ paiement_au: values.paiement_au ?? current }} />
        <Button>Télécharger l'attestation de paiement</Button>
      </PostForm>

      <h2>Attestation de présence</h2>
      {data.children.length === 0 ? (
        <p>Aucun enfant n'est inscrit dans ce foyer.</p>
      ) : (
        <PostForm action={`${base}/presence`} csrf={props.ctx.csrf}>
          <Select name="enfant" label="Enfant" options={data.children.map((c) => ({ value: c.id, label: `${c.first_name} ${c.last_name}` }))} errors={errors} values={values} />
          <Select name="presence_du" label="Présences à partir de" options={months} errors={errors} values={{ presence_du: values.presence_du ?? current }} />
          <Select name="presence_au" label="jusqu'à la fin de" options={months} errors={errors} values={{ presence_au: values.presence_au ?? current }} />
          <Button>Télécharger l'attestation de présence</Button>
        </PostForm>
      )}

      <h2>Attestations déjà établies</h2>
      <Table
        caption="Attestations déjà établies"
        captionHidden
        empty="Aucune attestation n'a encore été établie."
        rows={data.certificates}
        columns={[
          { header: 'Numéro', cell: (c) => c.number },
          { header: 'Attestation', cell: (c) => KIND_LABELS[c.kind] },
          { header: 'Période', cell: (c) => periodText(c.period_start, c.period_end) },
          { header: 'Ce qu\'elle atteste', cell: what },
          { header: 'Établie le', cell: (c) => `${formatDateLong(c.issued_at)}${c.issued_by ? ' (au guichet)' : ''}` },
        ]}
      />
      <p>Le code de vérification n'est écrit que sur le PDF : il n'est gardé nulle part en clair. Pour un nouvel exemplaire, téléchargez une nouvelle attestation ; l'ancienne reste valable.</p>
    </Layout>
  );
}

export interface VerifiedView {
  kind: CertificateKind;
  number: string;
  period: string;
  issuedOn: string;
  amountCents: number | null;
  dayCount: number | null;
  initials: string;
}

/** The public page: a number and a code; the answer shows what the certificate says, in the fewest words. */
export function VerifyPage(props: { ctx: PageCtx; errors?: FieldErrors; values?: FormValues; result?: { found: VerifiedView } | { notFound: true } | { throttled: true } }) {
  const errors = props.errors ?? {};
  const r = props.result;
  return (
    <Layout ctx={props.ctx} title="Vérifier une attestation" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Vérifier une attestation</h1>
      {r && 'found' in r && (
        <div role="status">
          <NotificationBanner kind="success" title="Attestation authentique">
            <p>
              Cette attestation a bien été établie par la commune. Elle dit ceci :
            </p>
          </NotificationBanner>
          <SummaryList
            rows={[
              { key: 'Attestation', value: KIND_LABELS[r.found.kind] },
              { key: 'Numéro', value: r.found.number },
              { key: 'Établie le', value: r.found.issuedOn },
              { key: 'Période', value: r.found.period },
              ...(r.found.amountCents !== null ? [{ key: r.found.kind === 'tax' ? 'Total payé pour la garde' : 'Total payé', value: formatEuros(r.found.amountCents) }] : []),
              ...(r.found.dayCount !== null ? [{ key: 'Présences', value: plural(r.found.dayCount, 'jour', 'jours') }] : []),
              { key: 'Responsable (initiales)', value: r.found.initials },
            ]}
          />
          <p>Comparez avec le document que l'on vous a remis : le nom complet et le détail ne sont montrés que sur l'attestation elle-même.</p>
        </div>
      )}
      {r && 'notFound' in r && (
        <div role="status">
          <NotificationBanner kind="warning" title="Attestation introuvable">
            <p>{VERIFY.notFound}</p>
          </NotificationBanner>
        </div>
      )}
      {r && 'throttled' in r && (
        <div role="status">
          <NotificationBanner kind="warning" title="Vérification impossible pour l'instant">
            <p>{VERIFY.throttled}</p>
          </NotificationBanner>
        </div>
      )}
      <p>Saisissez le numéro et le code de vérification écrits en bas de l'attestation.</p>
      <PostForm action="/attestations/verifier" csrf={props.ctx.csrf}>
        <TextField name="numero" label="Numéro de l'attestation" hint="Par exemple ATT-2026-000123" width="medium" spellcheck={false} errors={errors} values={props.values} />
        <TextField name="code" label="Code de vérification" hint="12 lettres et chiffres, par exemple ABCD-EFGH-JKMN" width="medium" spellcheck={false} errors={errors} values={props.values} />
        <Button>Vérifier</Button>
      </PostForm>
    </Layout>
  );
}
