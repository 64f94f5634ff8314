// Grouping sets aside what can never be push. For page assets it keeps no endpoint (memory: a long capture has
// hundreds of thousands of them), and endpointOfOther makes it again, the same as before.
import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../src/detect/endpoint.js';
import { endpointOfOther, groupExchanges } from '../../src/detect/group.js';
import { exchange } from '../helpers/exchange.js';

describe('grouping', () => {
  it('keeps no endpoint for page assets, and makes the same one again on demand', () => {
    const image = exchange({ url: 'https://cdn.h.test/img/logo-3f9c.png?v=7', mimeType: 'image/png', resourceType: 'image' });
    const preflight = exchange({ method: 'OPTIONS', url: 'https://h.test/poll?t=1' });
    const send = exchange({ method: 'POST', url: 'https://h.test/send' });
    const g = groupExchanges([image, preflight, send], { notPush: (ex) => (ex === send ? 'Demo send request' : null) });
    const byEx = new Map(g.others.map((o) => [o.ex, o]));
    expect(byEx.get(image)!.endpoint).toBeNull();
    expect(byEx.get(image)!.excluded).toBeTruthy();
    expect(endpointOfOther(byEx.get(image)!)).toEqual(endpointOf('GET', image.url));
    // What setup attachment and protocol modules read later is kept.
    expect(byEx.get(preflight)!.endpoint).toEqual(endpointOf('OPTIONS', preflight.url));
    expect(byEx.get(send)!.endpoint).toEqual(endpointOf('POST', send.url));
  });
});
