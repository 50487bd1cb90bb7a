import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { campaignRecipientRows, deleteCampaignRecipients } from './imports.personal-data.repository.ts';

const CHANNEL = { email: 'Par courriel', letter: 'Par courrier' };

/**
 * Imports and activation campaigns. An import's CSV holds many households: it is kept only between
 * the dry run and the confirmation (emptied once imported), so nothing in it is tied to one household.
 * Campaign recipients tie a guardian to a campaign: exported, deleted on anonymisation.
 */
export const importsPersonalData: PersonalDataDeclaration = {
  module: 'imports',
  tables: [
    { name: 'imports', keys: ['created_by'], personal: ['content', 'filename'], note: 'Fichier de plusieurs foyers, gardé entre l\'essai et l\'import puis vidé : rattaché à aucun foyer.' },
    { name: 'activation_campaigns', keys: ['created_by'], personal: [], note: 'Créée par un agent : aucune donnée de famille.' },
    { name: 'campaign_recipients', keys: ['user_id', 'person_id', 'household_id'], personal: ['channel'] },
  ],
  sections: [{ key: 'activation_campaigns', title: 'Invitations à activer le compte', empty: 'Aucune invitation groupée.', fields: { created_at: 'Envoyée le', channel: 'Envoi' } }],

  async export(db, scope) {
    const rows = await campaignRecipientRows(db, scope.householdId);
    return { activation_campaigns: rows.map((r) => ({ created_at: r.created_at, channel: CHANNEL[r.channel] })) };
  },

  anonymise: (tx, scope) => deleteCampaignRecipients(tx, scope.householdId),
};
