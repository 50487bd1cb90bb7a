import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';

/** A household's calendar feed: its existence and version (the version revokes older links). Deleted on anonymisation. */
export const calendarFeedPersonalData: PersonalDataDeclaration = {
  module: 'calendar-feed',
  tables: [{ name: 'calendar_feeds', keys: ['household_id'], personal: ['version'] }],
  sections: [{ key: 'calendar_feeds', title: 'Abonnement au calendrier', empty: 'Aucun abonnement au calendrier créé.', fields: { version: 'Version du lien (change quand vous renouvelez le lien)' } }],

  async export(db, scope) {
    const rows = await db.selectFrom('calendar_feeds').select(['version']).where('household_id', '=', scope.householdId).execute();
    return { calendar_feeds: rows };
  },

  async anonymise(tx, scope) {
    await tx.deleteFrom('calendar_feeds').where('household_id', '=', scope.householdId).execute();
  },
};
