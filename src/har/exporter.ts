import type { ExporterKind } from '../model.js';

/** Recognises the exporter from `log.creator.name`, so that its known quirks can be expected and explained. */
export function exporterKind(creatorName: string): ExporterKind {
  const n = creatorName.toLowerCase();
  if (n === 'webinspector') return 'chrome';
  if (n.includes('webkit web inspector')) return 'safari';
  if (n.startsWith('playwright')) return 'playwright';
  if (n === 'chrome-har' || n.startsWith('browsertime') || n.includes('puppeteer-har')) return 'chrome-har';
  if (n.includes('mitmproxy')) return 'mitmproxy';
  if (n.includes('browsermob')) return 'browsermob';
  if (n.includes('fiddler')) return 'fiddler';
  if (n.includes('charles')) return 'charles';
  if (n.includes('httpwatch')) return 'httpwatch';
  if (n.includes('webpagetest')) return 'webpagetest';
  if (n.includes('firebug')) return 'firebug';
  if (n.includes('firefox')) return 'firefox';
  return 'other';
}
