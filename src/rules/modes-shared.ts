// What allowed-modes and forbidden-modes share.
import { MODES, modeList } from '../config/schema.js';

export const modesOption = () => modeList().describe(`modes: ${MODES.join(', ')}`);

/** "short-poll,long-poll" from a flag → ["short-poll", "long-poll"] (the schema validates them afterwards). */
export const splitList = (v: string | boolean) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v);
