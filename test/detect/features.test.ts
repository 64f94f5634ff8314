// What detection calls an empty answer (a long-poll's timeout reply), and when it asks for an endpoint at all.
import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../src/detect/endpoint.js';
import { isEmptyAnswer, notPushReason } from '../../src/detect/features.js';
import { exchange } from '../helpers/exchange.js';

const answer = (body: string | null) => isEmptyAnswer(exchange({ responseBody: body, responseBodyBytes: body?.length ?? 0 }));

describe('isEmptyAnswer', () => {
  it('calls envelopes whose every list and object is empty empty, whatever the whitespace inside them', () => {
    expect(answer('{"events":[]}')).toBe(true);
    expect(answer('{"events":[ \n\t ],"meta":{\r\n}}')).toBe(true);
    expect(answer('cb({"cmd":"getMessage","code":0,"msgs":[]});')).toBe(true);
    expect(answer('{ }')).toBe(true);
  });

  it('calls answers with data in them not empty, with or without an empty list beside the data', () => {
    expect(answer('{"events":[{"id":1}]}')).toBe(false);
    expect(answer('{"events":[],"msgs":["hi"]}')).toBe(false);
    expect(answer('{"code":0}')).toBe(false);
    expect(answer('{"text":"[]"}')).toBe(false);
    expect(answer(`{"events":[]${' '.repeat(2000)}}`)).toBe(false);
  });

  it('knows the other no-data forms, and says nothing when the capture kept no body', () => {
    for (const body of ['', '  ', '[]', 'null', '6', '2:6', '<body rid="1"/>', 'cb()', 'jQuery123_456({})']) expect(answer(body)).toBe(true);
    expect(isEmptyAnswer(exchange({ responseBody: null, responseBodyBytes: 120 }))).toBeNull();
    // No body kept, but the exporter says there were no bytes: the answer was empty.
    expect(isEmptyAnswer(exchange({ responseBody: null, responseBodyBytes: 0 }))).toBe(true);
  });
});

describe('notPushReason', () => {
  it('tells page assets by their type without parsing the URL', () => {
    let asked = 0;
    const image = exchange({ url: 'https://cdn.test/a.png', resourceType: 'image', mimeType: 'image/png' });
    expect(notPushReason(image, () => (asked++, endpointOf('GET', image.url)))).toBe('page asset (image)');
    expect(asked).toBe(0);
  });

  it('asks for the endpoint to tell a static file from a JSONP call to the same kind of path', () => {
    const file = exchange({ url: 'https://h.test/static/app.3f9c.js', resourceType: 'script', mimeType: 'application/javascript' });
    const jsonp = exchange({ url: 'https://h.test/poll.js?callback=cb', resourceType: 'script', mimeType: 'application/javascript' });
    expect(notPushReason(file, () => endpointOf('GET', file.url))).toBe('static file');
    expect(notPushReason(jsonp, () => endpointOf('GET', jsonp.url))).toBeNull();
  });
});
