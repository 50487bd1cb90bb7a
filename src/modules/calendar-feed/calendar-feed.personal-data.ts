import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { deleteFeed, feedRows } from './calendar-feed.personal-data.repository.ts';

/** A household's calendar feed: its existence and version (the version revokes older links). Deleted on anonymisation. */
export const calendarFeedPersonalData: PersonalDataDeclaration = {
  module: 'calendar-feed',
  tables: [{ name: 'calendar_feeds', keys: ['household_id'], personal: ['version'] }],
  sections: [{ key: 'calendar_feeds', title: 'Abonnement au calendrier', empty: 'Aucun abonnement au calendrier créé.', fields: { version: 'Version du lien (change quand vous renouvelez le lien)' } }],

  async export(db, scope) {
    return { calendar_feeds: await feedRows(db, scope.householdId) };
  },

  anonymise: (tx, scope) => deleteFeed(tx, scope.householdId),
};
