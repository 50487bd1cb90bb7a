import type { Executor } from '../../platform/audit/audit.repository.ts';
import * as repo from './identity.repository.ts';

/**
 * What the identity module offers other modules (docs/architecture.md, « Frontières des modules »).
 * The repository stays private: a module that needs an account reads or changes it through here.
 */
export { countGuardiansByStatus, findUserByEmail } from './identity.repository.ts';
export { activationLetters, type LetterRecipient } from './identity.letter.ts';

/** A self-signed-up account linked to a household by an agent becomes active (inside the caller's transaction). */
export async function markLinkedAccountActive(tx: Executor, userId: string, now: Date) {
  await repo.updateUser(tx, userId, now, { status: 'active' });
}
