/**
 * Ids in the order they are made (UUID version 7, RFC 9562: 48 bits of Unix milliseconds, a 12-bit
 * counter within the millisecond, the rest random), for rows written by the thousand (the
 * migration's loader, decision 067): each new key of a table's primary key and of the indexes on
 * the columns that name it (`member_id`, `person_id`) lands at the right-hand end of the index
 * instead of on a random leaf page, so a load touches a few pages instead of all of them (and
 * writes a full page image to the WAL after each checkpoint for few instead of all). The time a row
 * was made is readable from its id: only for rows whose making is no secret (a migration's).
 */
import { randomUUID } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** A new version 7 UUID, greater than every one this process made before (a counter overflow borrows the next millisecond). */
export function orderedUuid(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  const ms = lastMs.toString(16).padStart(12, '0');
  // The random tail (variant bits included) of a version 4 UUID: `xxxxxxxx-xxxx-4xxx-` is replaced.
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${randomUUID().slice(19)}`;
}
