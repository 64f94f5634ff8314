// Every protocol module besides the four with recorded samples (socket.io, engine.io, sockjs, bayeux), in the order
// the registry tries them after those.
import { atmosphere } from './atmosphere.js';
import { bosh } from './bosh.js';
import { firebase } from './firebase.js';
import { ape, dwr, icepush, nchan, pushlet } from './legacy.js';
import { lightstreamer } from './lightstreamer.js';
import { mqtt } from './mqtt.js';
import { phoenix } from './phoenix.js';
import { signalr, signalrCore } from './signalr.js';
import type { ProtocolModule } from './types.js';
import { webchannel } from './webchannel.js';
import { xmpp } from './xmpp.js';
import { actioncable, ddp, graphqlSse, graphqlWs } from './websocket-subprotocols.js';

export const OTHER_MODULES: ProtocolModule[] = [
  signalr, signalrCore, bosh, webchannel, firebase, phoenix, lightstreamer, atmosphere,
  ddp, actioncable, graphqlWs, graphqlSse, mqtt, xmpp, dwr, icepush, pushlet, ape, nchan,
];
