import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';

/** The catalogue holds no family data; an agent's groups are the agent's own working data. */
export const cataloguePersonalData: PersonalDataDeclaration = {
  module: 'catalogue',
  tables: [{ name: 'agent_groups', keys: ['user_id'], personal: [], note: 'Groupes d\'un agent : aucune donnée de famille.' }],
  sections: [],
  export: () => Promise.resolve({}),
  anonymise: () => Promise.resolve(),
};
