import { z } from 'zod';
import { oneOrMany } from '../config/schema.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'expect-protocol',
    description: 'Selected channels speak this protocol (socket.io, sockjs, bayeux, signalr, …, or none).',
    docs: 'Compares the channel\'s protocol (case-insensitive) and, with "version", the start of its protocolVersion. Select the channels you mean (e.g. by endpoint): unselected, every push channel must match.',
    defaultSeverity: 'error',
    options: {
      protocol: oneOrMany(z.string().min(1)).describe('protocol name(s) as the report prints them'),
      version: z.string().min(1).optional().describe('required protocolVersion prefix, e.g. "4" for Engine.IO 4'),
    },
    needs: ['protocol', 'protocolVersion'],
    flag: { flags: '--expect-protocol <name>', description: 'every channel speaks this protocol, e.g. socket.io', toOptions: (v) => ({ protocol: v }) },
    example: { protocol: 'socket.io', version: '4', select: { endpoint: '/socket.io/**' } },
  },
  check(c, o) {
    const wanted = o.protocol.map((p) => p.toLowerCase());
    const limitText = `${o.protocol.join(' or ')}${o.version ? ` v${o.version}` : ''}`;
    const measuredText = `protocol ${c.protocol}${c.protocolVersion ? ` v${c.protocolVersion}` : ''}`;
    const nameOk = wanted.includes(c.protocol.toLowerCase());
    if (nameOk && o.version !== undefined && c.protocolVersion === null) return missing(`${measuredText}, version unknown`, limitText, limitText);
    const versionOk = o.version === undefined || (c.protocolVersion ?? '').startsWith(o.version);
    return { pass: nameOk && versionOk, measured: c.protocolVersion ? `${c.protocol}@${c.protocolVersion}` : c.protocol, limit: limitText, measuredText, limitText };
  },
});
