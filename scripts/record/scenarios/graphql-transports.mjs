// GraphQL subscriptions over their two push transports, each with its reference server and browser client:
// - graphql-ws (the graphql-transport-ws subprotocol): `useServer` from graphql-ws on a `ws` server at /graphql, and
//   the graphql-ws browser build (`createClient`, keepAlive pings every 4 s; lazy, so it closes its socket when the
//   last subscription completes and opens a new one for the next);
// - graphql-sse: `createHandler` from graphql-sse/lib/use/http at /graphql/stream, and the graphql-sse browser build
//   in its default "distinct connections" mode: each subscription is its own POST answered with text/event-stream.
// The schema has one subscription, `news`, that yields a message at fixed times after the client subscribed, then
// completes; the page subscribes again 1 s after each completion.
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLInt, GraphQLNonNull } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createHandler } from 'graphql-sse/lib/use/http';
import { endpoint, page, sendHtml, sendJs, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 30000,
  transport: 'ws',
  pushEndpointPath: '/graphql',
  /** When each subscription yields, after it started; it completes after the last. */
  newsAtMs: [1500, 3000, 9000],
  resubscribeMs: 1000,
  keepAliveMs: 4000,
};

export const recordings = [
  { file: 'graphql-ws.har', exporter: 'playwright', config: { transport: 'ws' } },
  { file: 'graphql-sse.har', exporter: 'playwright', config: { transport: 'sse', pushEndpointPath: '/graphql/stream' } },
];

const UMD = { ws: 'graphql-ws/umd/graphql-ws.min.js', sse: 'graphql-sse/umd/graphql-sse.min.js' };
const CLIENT = (c) => fs.readFileSync(path.join(REPO, 'node_modules', UMD[c.transport]), 'utf8');

const sleep = (ms, timers) => new Promise((resolve) => timers.timeout(resolve, ms));

function schemaFor(c, tracker, timers) {
  const News = new GraphQLObjectType({ name: 'News', fields: { id: { type: new GraphQLNonNull(GraphQLInt) }, text: { type: new GraphQLNonNull(GraphQLString) } } });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        news: {
          type: News,
          subscribe: async function* () {
            tracker.count('subscriptions');
            let last = 0;
            for (const [i, at] of c.newsAtMs.entries()) {
              await sleep(at - last, timers);
              last = at;
              tracker.count('messages');
              yield { news: { id: i + 1, text: `news ${i + 1}` } };
            }
            tracker.count('completed');
          },
        },
      },
    }),
  });
}

export function createApp({ config: c, tracker, timers }) {
  const schema = schemaFor(c, tracker, timers);
  const sse = c.transport === 'sse' ? createHandler({ schema }) : null;
  const wss = c.transport === 'ws' ? new WebSocketServer({ noServer: true }) : null;
  const wsServer = wss ? useServer({ schema }, wss) : null;
  return {
    async handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('GraphQL subscriptions', body(c)));
      if (u.pathname === '/client.js') return sendJs(res, CLIENT(c));
      if (sse && u.pathname === c.pushEndpointPath) {
        rec.kind = req.method === 'POST' ? 'stream' : 'other';
        tracker.count('streamRequests');
        return sse(req, res);
      }
      return notFound(res);
    },
    upgrade(req, socket, head) {
      const u = new URL(req.url, 'http://x');
      if (!wss || u.pathname !== c.pushEndpointPath) return socket.destroy();
      const rec = tracker.trackWebSocket(req);
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('message', () => (rec.received += 1));
        const send = ws.send.bind(ws);
        ws.send = (...args) => {
          rec.sent += 1;
          return send(...args);
        };
        ws.on('close', () => {
          rec.state = 'complete';
          rec.end = tracker.now();
        });
        wss.emit('connection', ws, req);
      });
    },
    close() {
      wsServer?.dispose();
      wss?.close();
    },
  };
}

const body = (c) => `<h1>GraphQL subscriptions (${c.transport === 'ws' ? 'graphql-ws' : 'graphql-sse'})</h1>
<ul id="log"></ul>
<script src="/client.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = String(t).slice(0, 80); document.getElementById('log').appendChild(li); }
const lib = ${c.transport === 'ws' ? 'window.graphqlWs' : 'window.graphqlSse'};
const client = lib.createClient(${c.transport === 'ws' ? `{ url: 'ws://' + location.host + '${c.pushEndpointPath}', keepAlive: ${c.keepAliveMs} }` : `{ url: '${c.pushEndpointPath}' }`});
function subscribe() {
  client.subscribe({ query: 'subscription { news { id text } }' }, {
    next: (m) => show(JSON.stringify(m.data)),
    error: (e) => show('error ' + e),
    complete: () => { show('complete'); setTimeout(subscribe, ${c.resubscribeMs}); },
  });
}
subscribe();
</script>`;

export function describe(recording, c) {
  const how = c.transport === 'ws'
    ? `graphql-ws 6 (useServer on ws, subprotocol graphql-transport-ws) at ${c.pushEndpointPath} with its browser client, keepAlive ping every ${c.keepAliveMs} ms; one socket carries every subscription`
    : `graphql-sse 2 (createHandler for node:http) at ${c.pushEndpointPath} with its browser client in distinct connections mode: each subscription is a POST answered with text/event-stream`;
  return `GraphQL subscriptions over ${how}. The subscription yields news at ${c.newsAtMs.join(', ')} ms after it started, then completes; the page subscribes again ${c.resubscribeMs} ms after each completion.`;
}

export function expect(truth, recording, c) {
  const n = truth.counters.subscriptions || 0;
  if (c.transport === 'ws') {
    // The client is lazy: it closes its socket when its last subscription completes and opens a new one for the next.
    // Playwright records no close, so the HAR leaves the last socket open whether it closed or not.
    const ep = endpoint(truth, `GET ${c.pushEndpointPath}`);
    return { mode: 'websocket', carrier: 'websocket', pushEndpointPath: c.pushEndpointPath, protocol: 'graphql-ws', protocolVersion: 'graphql-transport-ws', requests: ep.requests, errors: 0, pendingAtEnd: ep.openAtStop, pendingAtEndInHar: 1, subscriptions: n, messages: truth.counters.messages || 0, notPush: ['/', '/client.js'] };
  }
  return {
    mode: 'stream',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    method: 'POST',
    protocol: 'graphql-sse',
    requests: truth.counters.streamRequests || 0,
    errors: 0,
    pendingAtEnd: n - (truth.counters.completed || 0),
    subscriptions: n,
    messages: truth.counters.messages || 0,
    notPush: ['/', '/client.js'],
  };
}
