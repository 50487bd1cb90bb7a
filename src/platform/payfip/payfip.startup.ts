import { PayfipFault, type PayfipClient } from './payfip.client.ts';

export interface StartupCheck {
  ok: boolean;
  /** One French line for the operator's log. */
  message: string;
}

/**
 * Checked at start with `recupererDetailClient` (protocols.md §1.2: the NUMCLI health check).
 * Decision: an unreachable or refusing PayFiP never stops the portal. Families keep booking,
 * reading and paying at the counter; an online payment started meanwhile fails with a clear
 * message and nothing recorded as paid. The operator reads the warning in the log.
 */
export async function checkPayfipAtStart(client: PayfipClient): Promise<StartupCheck> {
  const { numcli, saisie, soapUrl } = client.settings;
  const mode = saisie === 'W' ? 'production' : saisie === 'X' ? 'activation' : 'test';
  try {
    const detail = await client.clientDetail();
    return { ok: true, message: `PayFiP joignable (${soapUrl}, mode ${mode}) : NUMCLI ${detail.numcli} « ${detail.libelles.join(' – ')} ».` };
  } catch (err) {
    const why = err instanceof PayfipFault && err.fault.kind === 'FonctionnelleErreur'
      ? `le NUMCLI ${numcli} est refusé (${err.fault.code} : ${err.fault.descriptif || err.fault.libelle})`
      : (err as Error).message;
    return {
      ok: false,
      message: `ATTENTION : PayFiP ne répond pas comme prévu à ${soapUrl} : ${why}. Le portail fonctionne, mais le paiement en ligne échouera tant que ce n'est pas réglé (PAYFIP_URL, PAYFIP_NUMCLI, PAYFIP_SAISIE).`,
    };
  }
}
