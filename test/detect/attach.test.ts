// In-group handshakes: the first request of a polling chain is its setup when its answer opens a session, or when it
// lacks the session id that at least half of the later requests carry.
import { describe, expect, it } from 'vitest';
import { markInGroupSetup } from '../../src/detect/attach.js';
import type { Draft, Member } from '../../src/detect/draft.js';
import { exchange } from '../helpers/exchange.js';

function draft(urls: string[], firstBody: string | null = null): Draft {
  const members: Member[] = urls.map((url, i) => ({ ex: exchange({ at: i * 25_000, hold: 25_000, url, responseBody: i === 0 ? firstBody : '[]' }), role: null }));
  return { result: { mode: 'long-poll' }, members, notes: [] } as unknown as Draft;
}
const SID = 'sid=Zq8Xw3Lm9Pt2Vb7Nc4Kd';
const poll = (session: boolean) => `https://h.test/poll?n=1${session ? `&${SID}` : ''}`;

describe('markInGroupSetup', () => {
  it('marks a first request without the session id that the later ones carry', () => {
    const d = draft([poll(false), poll(true), poll(true), poll(true), poll(true)]);
    markInGroupSetup(d);
    expect(d.members[0]!.role).toBe('setup');
    expect(d.notes).toEqual(['the first request carries no session id and later ones do: it is the handshake']);
    expect(d.members.slice(1).every((m) => m.role === null)).toBe(true);
  });

  it('needs at least half of the later requests to carry it', () => {
    const half = draft([poll(false), poll(true), poll(false), poll(true), poll(false)]);
    markInGroupSetup(half);
    expect(half.members[0]!.role).toBe('setup');
    const fewer = draft([poll(false), poll(true), poll(false), poll(true), poll(false), poll(false)]);
    markInGroupSetup(fewer);
    expect(fewer.members[0]!.role).toBeNull();
    expect(fewer.notes).toEqual([]);
    // Whatever the order of the later requests.
    const late = draft([poll(false), poll(false), poll(false), poll(true), poll(true)]);
    markInGroupSetup(late);
    expect(late.members[0]!.role).toBe('setup');
  });

  it('leaves a chain alone whose first request carries the session too, unless its answer is a handshake', () => {
    const same = draft([poll(true), poll(true), poll(true)]);
    markInGroupSetup(same);
    expect(same.members[0]!.role).toBeNull();
    const engine = draft([poll(true), poll(true), poll(true)], '0{"sid":"abc","upgrades":[],"pingInterval":25000}');
    markInGroupSetup(engine);
    expect(engine.members[0]!.role).toBe('setup');
    expect(engine.notes).toEqual(['the first request is a handshake (its answer opens a session)']);
  });
});
