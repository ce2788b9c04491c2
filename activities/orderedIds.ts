/**
 * Ids in the order they are made (UUID version 7, RFC 9562: 48 bits of Unix milliseconds, then a
 * counter and random bits), for rows written by the thousand (the migration's loader, decision
 * 067): each new key of a table's primary key and of the indexes on the columns that name it
 * (`member_id`, `person_id`) lands at the right-hand end of the index instead of on a random leaf
 * page, so a load touches a few pages instead of all of them (and writes a full page image to the
 * WAL after each checkpoint for few instead of all). The time a row was made is readable from its
 * id: only for rows whose making is no secret (a migration's). The `uuid` package's v7 keeps its
 * ids increasing within the process, also many within one millisecond.
 */
import { v7 } from 'uuid';

/** A new version 7 UUID, greater than every one this process made before. */
export function orderedUuid(): string {
  return v7();
}
