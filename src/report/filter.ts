// Which channels a report shows: --channel <id|glob> and --host <host|glob>. Presentation only: the analysis is
// computed over everything, then narrowed.
import type { Analysis, Channel, ChannelReport } from '../model.js';

export interface ChannelFilter {
  /** A channel id (`c2`) or a glob matched against the id, the label and the endpoint (`*poll*`). */
  channel?: string;
  /** A host name (or glob), with or without port, matched against the channel endpoint's host. */
  host?: string;
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The host[:port] of an endpoint (`GET https://host:8080/path` → `host:8080`), or '' when it has none. */
export function endpointHost(endpoint: string): string {
  return /^\S+ [a-z][a-z0-9+.-]*:\/\/([^/?#\s]+)/i.exec(endpoint)?.[1] ?? '';
}

export function hostMatches(host: string, pattern: string): boolean {
  const re = globToRegExp(pattern);
  return re.test(host) || re.test(host.replace(/:\d+$/, ''));
}

export function channelMatches(ch: ChannelReport, filter: ChannelFilter): boolean {
  if (filter.channel !== undefined) {
    const re = globToRegExp(filter.channel);
    if (!(ch.id === filter.channel || re.test(ch.id) || re.test(ch.label) || re.test(ch.endpoint))) return false;
  }
  if (filter.host !== undefined && !hostMatches(endpointHost(ch.endpoint), filter.host)) return false;
  return true;
}

export function filterAnalysis(analysis: Analysis, filter: ChannelFilter): Analysis {
  if (filter.channel === undefined && filter.host === undefined) return analysis;
  return { ...analysis, channels: analysis.channels.filter((ch) => channelMatches(ch, filter)) };
}

export function filterChannels(channels: readonly Channel[], filter: ChannelFilter): Channel[] {
  return channels.filter((ch) => channelMatches(ch.report, filter));
}
