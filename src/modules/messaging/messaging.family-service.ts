import type { AppContext } from '../../platform/context.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import * as inbox from './messaging.inbox.repository.ts';
import { attachmentContent, attachmentsOf } from './messaging.repository.ts';
import { readersOf } from './messaging.shared-service.ts';

/**
 * The family's inbox. A message is reachable only by the guardians it was sent to (another household's
 * message id is a 404). Opening a message stores the guardian's read receipt; an agent at the counter
 * reads without marking it read (the family has not seen it).
 */
export function messagingFamilyService(ctx: AppContext) {
  const { db, clock } = ctx;

  async function open(actor: FamilyActor, id: string) {
    const readers = await readersOf(db, actor);
    const message = await inbox.inboxMessage(db, readers, id, clock.now());
    if (!message) throw new NotFoundError();
    return message;
  }

  return {
    async list(actor: FamilyActor) {
      const readers = await readersOf(db, actor);
      return inbox.inboxOf(db, readers, clock.now(), 200);
    },

    async read(actor: FamilyActor, id: string) {
      const message = await open(actor, id);
      if (actor.personId) await inbox.markRead(db, actor.personId, id, clock.now());
      return { message, attachments: await attachmentsOf(db, id) };
    },

    async attachment(actor: FamilyActor, id: string, attachmentId: string) {
      await open(actor, id);
      const file = await attachmentContent(db, id, attachmentId);
      if (!file) throw new NotFoundError();
      return { filename: file.filename, bytes: Buffer.from(file.content, 'base64') };
    },
  };
}

export type MessagingFamilyService = ReturnType<typeof messagingFamilyService>;
