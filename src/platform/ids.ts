import { v7 as uuidv7 } from 'uuid';

/** UUIDv7: unguessable in URLs, ordered by creation for index locality, portable as text. */
export const newId = (): string => uuidv7();

export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
