import { XMLParser } from 'fast-xml-parser';
import robotsParserModule from 'robots-parser';
import type { SourceOptions } from '../../../db/schema.js';

export const ROBOTS_AGENT = 'CatyBot';

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// A CommonJS module whose type declares an ES default export: its function is the module itself.
const robotsParser = robotsParserModule as unknown as (url: string, robotsTxt: string) => Robots;

/** Files that are never pages: not even requested. */
const NOT_PAGES = /\.(png|jpe?g|gif|webp|svg|ico|bmp|tiff?|css|js|mjs|json|xml|zip|gz|tgz|rar|7z|mp3|mp4|m4a|wav|ogg|webm|mov|avi|woff2?|ttf|otf|eot|exe|dmg|apk|iso)$/i;

/** A URL as a page key: no fragment, default port dropped (the URL class does that), path kept as given. */
export function pageKey(url: URL): string {
  const copy = new URL(url.toString());
  copy.hash = '';
  return copy.toString();
}

/**
 * Which URLs of a website source are its pages: the same origin (scheme, host and port) as the
 * address it was added with, inside `include_paths` when given, outside `exclude_paths`, and not
 * files that are never text pages (images, scripts, archives).
 */
export class CrawlScope {
  private readonly origin: string;
  private readonly robots: Robots | null;

  constructor(
    root: string,
    private readonly options: SourceOptions,
    robotsTxt: string | null,
  ) {
    this.origin = new URL(root).origin;
    this.robots = robotsTxt === null ? null : robotsParser(`${this.origin}/robots.txt`, robotsTxt);
  }

  sameOrigin(url: URL): boolean {
    return url.origin === this.origin;
  }

  /** Null when the URL is one of the source's pages, else why not. */
  refusal(url: URL): string | null {
    if (!this.sameOrigin(url)) return `outside ${this.origin}`;
    if (NOT_PAGES.test(url.pathname)) return 'not a page';
    const path = url.pathname;
    const under = (prefix: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || (prefix.endsWith('/') && path === prefix.slice(0, -1));
    if (this.options.include_paths?.length && !this.options.include_paths.some(under)) return `outside the included paths (${this.options.include_paths.join(', ')})`;
    if (this.options.exclude_paths?.some(under)) return 'in an excluded path';
    return null;
  }

  /** robots.txt's word on a URL of this origin (a site with no robots.txt allows everything). */
  allowedByRobots(url: URL): boolean {
    return this.robots?.isAllowed(url.toString(), ROBOTS_AGENT) ?? true;
  }

  crawlDelayMs(): number {
    const seconds = this.robots?.getCrawlDelay(ROBOTS_AGENT);
    return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : 0;
  }

  sitemaps(): string[] {
    return this.robots?.getSitemaps() ?? [];
  }
}

const xml = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === 'url' || name === 'sitemap' });

/** The page URLs and nested sitemaps a sitemap lists; nothing for a document that is not one. */
export function readSitemap(text: string): { pages: string[]; sitemaps: string[] } {
  let parsed: { urlset?: { url?: { loc?: unknown }[] }; sitemapindex?: { sitemap?: { loc?: unknown }[] } };
  try {
    parsed = xml.parse(text) as typeof parsed;
  } catch {
    return { pages: [], sitemaps: [] };
  }
  const locs = (items: { loc?: unknown }[] | undefined) => (items ?? []).map((i) => (typeof i.loc === 'string' ? i.loc.trim() : '')).filter(Boolean);
  return { pages: locs(parsed?.urlset?.url), sitemaps: locs(parsed?.sitemapindex?.sitemap) };
}
