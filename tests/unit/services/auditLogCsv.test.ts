import { describe, expect, it } from 'vitest';
import { auditLogCsv } from '../../../services/auditLog';

describe('auditLogCsv', () => {
  it('writes one quoted-as-needed line per entry, and an actor a spreadsheet would run as a formula as text', () => {
    const csv = auditLogCsv([
      { at: '2026-12-04T10:00:00.000Z', actor: '=cmd|" /C calc"!A0', actorKind: 'user', event: 'member.read', entityType: 'member', entityId: 'm1', details: { via: 'desk' } },
    ]);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe('at,actor,actor_kind,event,entity_type,entity_id,details');
    expect(line).toBe('2026-12-04T10:00:00.000Z,"\'=cmd|"" /C calc""!A0",user,member.read,member,m1,"{""via"":""desk""}"');
    expect(end).toBe('');
  });
});
