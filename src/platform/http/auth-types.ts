export const AGENT_ROLES = ['admin', 'enfance', 'regie', 'animateur', 'restauration'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const ROLE_LABELS: Record<AgentRole, string> = {
  admin: 'Administration',
  enfance: 'Service enfance',
  regie: 'Régie',
  animateur: 'Animation',
  restauration: 'Restauration',
};

export interface SessionUser {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  kind: 'guardian' | 'agent';
  status: string;
  roles: AgentRole[];
}

export interface Auth {
  sessionId: string;
  user: SessionUser;
  actingHouseholdId: string | null;
  /** « Foyer Durand (F-000012) » while an agent acts for a household. */
  actingLabel: string | null;
  /** A guardian's household and person, read with the session; null when not linked yet. */
  guardianOf: { householdId: string; personId: string } | null;
}

export const parseRoles = (roles: string): AgentRole[] =>
  roles.split(',').filter((r): r is AgentRole => (AGENT_ROLES as readonly string[]).includes(r));

export const hasRole = (user: SessionUser, ...roles: AgentRole[]) => user.kind === 'agent' && user.roles.some((r) => roles.includes(r));

/** Roles that may open a family's space at the counter (assisted mode). */
export const canActForHousehold = (user: SessionUser) => hasRole(user, 'admin', 'enfance');
