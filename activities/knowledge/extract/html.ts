import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** A part of a document under one heading: what passages are cut from. */
export interface Section {
  /** The headings above it, outermost first ("Delivery", "Abroad"). */
  headings: string[];
  paragraphs: string[];
}

export interface ExtractedDocument {
  title: string;
  sections: Section[];
  /** Links found anywhere on the page (navigation included), absolute. */
  links: string[];
}

/** The little of the DOM used here (the project compiles without the DOM library). */
interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  tagName: string;
  children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}
interface DomDocument {
  body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  toString(): string;
}
const parse = (html: string) => parseHTML(html).document as unknown as DomDocument;

const BLOCKS = new Set(['P', 'LI', 'TD', 'TH', 'PRE', 'BLOCKQUOTE', 'DT', 'DD', 'FIGCAPTION', 'CAPTION', 'ADDRESS']);
const HEADINGS = /^H([1-6])$/;
const CONTAINERS_OF_BLOCKS = new Set(['DIV', 'SECTION', 'ARTICLE', 'MAIN', 'BODY', 'UL', 'OL', 'DL', 'TABLE', 'TBODY', 'THEAD', 'TR', 'FORM', 'DETAILS', 'SUMMARY', 'SPAN', 'CENTER', 'FIGURE']);
/** What is never the page's content: chrome, scripts, and consent banners. */
const BOILERPLATE = 'script, style, noscript, template, nav, header, footer, aside, form, [role="navigation"], [role="banner"], [role="contentinfo"], [aria-hidden="true"]';
const BANNER = /cookie|consent|gdpr|banner|newsletter|popup|modal/i;

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Walks an element's blocks in document order: a heading opens a section, every other block with
 * text is a paragraph of the current one. Text directly inside a container (no block around it)
 * counts as a paragraph too.
 */
function sectionsOf(root: DomElement, baseHeadings: string[] = []): Section[] {
  const sections: Section[] = [{ headings: baseHeadings, paragraphs: [] }];
  const stack: { level: number; text: string }[] = [];
  const visit = (node: DomNode) => {
    if (node.nodeType === 3) {
      const text = clean(node.textContent ?? '');
      if (text) sections.at(-1)!.paragraphs.push(text);
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as DomElement;
    const heading = HEADINGS.exec(element.tagName);
    if (heading) {
      const level = Number(heading[1]);
      const text = clean(element.textContent ?? '');
      if (!text) return;
      while (stack.length && stack.at(-1)!.level >= level) stack.pop();
      stack.push({ level, text });
      sections.push({ headings: [...baseHeadings, ...stack.map((h) => h.text)], paragraphs: [] });
      return;
    }
    if (BLOCKS.has(element.tagName) && !element.querySelector('p, li, h1, h2, h3, h4, h5, h6, table, ul, ol')) {
      const text = clean(element.textContent ?? '');
      if (text) sections.at(-1)!.paragraphs.push(text);
      return;
    }
    if (element.tagName === 'BR') return;
    if (CONTAINERS_OF_BLOCKS.has(element.tagName) || element.children.length > 0) {
      for (const child of Array.from(element.childNodes)) visit(child);
      return;
    }
    const text = clean(element.textContent ?? '');
    if (text) sections.at(-1)!.paragraphs.push(text);
  };
  for (const child of Array.from(root.childNodes)) visit(child);
  return mergeInline(sections).filter((s) => s.paragraphs.length > 0);
}

/** Inline runs (a link, a bold word) split by the walk are joined back into their paragraph. */
function mergeInline(sections: Section[]): Section[] {
  return sections.map((section) => {
    const paragraphs: string[] = [];
    for (const paragraph of section.paragraphs) {
      const last = paragraphs.at(-1);
      if (last !== undefined && !/[.!?:;)\]]$/.test(last) && paragraph.length < 80 && /^[\p{Ll},.;:!?)]/u.test(paragraph)) paragraphs[paragraphs.length - 1] = `${last} ${paragraph}`;
      else paragraphs.push(paragraph);
    }
    return { ...section, paragraphs };
  });
}

function absoluteLinks(document: DomDocument, baseUrl: string | undefined): string[] {
  if (!baseUrl) return [];
  const base = document.querySelector('base[href]')?.getAttribute('href');
  let resolvedBase = baseUrl;
  try {
    if (base) resolvedBase = new URL(base, baseUrl).toString();
  } catch {
    // A broken <base> is ignored, as browsers do.
  }
  const links: string[] = [];
  for (const anchor of Array.from(document.querySelectorAll('a[href], area[href]'))) {
    if (/\bnofollow\b/i.test(anchor.getAttribute('rel') ?? '')) continue;
    try {
      const url = new URL(anchor.getAttribute('href')!, resolvedBase);
      if (url.protocol === 'http:' || url.protocol === 'https:') links.push(url.toString());
    } catch {
      // Not a URL: skipped.
    }
  }
  return links;
}

/**
 * The main content of an HTML page (Mozilla's Readability, as Firefox's reader view), its sections
 * under their headings, and its links. A page too short for Readability to call it an article is
 * read whole, without its navigation, header, footer, forms and consent banners.
 */
export function extractHtml(html: string, url?: string): ExtractedDocument {
  const document = parse(html);
  const links = absoluteLinks(document, url);
  const pageTitle = clean(document.querySelector('title')?.textContent ?? '') || clean(document.querySelector('h1')?.textContent ?? '');
  for (const element of Array.from(document.querySelectorAll('[id], [class]'))) {
    if (BANNER.test(`${element.getAttribute('id') ?? ''} ${element.getAttribute('class') ?? ''}`) && element.tagName !== 'BODY' && element.tagName !== 'HTML') element.remove();
  }
  const fallbackDocument = parse(document.toString());
  // Readability rewrites the document it reads: the copy above is the untouched page.
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 200, keepClasses: false }).parse();
  let sections: Section[] = [];
  if (article?.content) {
    const content = parse(`<!doctype html><html><body>${article.content}</body></html>`);
    if (content.body) sections = sectionsOf(content.body);
  }
  const words = (list: Section[]) => list.reduce((n, s) => n + s.paragraphs.join(' ').length, 0);
  const body = fallbackDocument.body;
  if (body) {
    for (const element of Array.from(body.querySelectorAll(BOILERPLATE))) element.remove();
    const whole = sectionsOf(body);
    // Readability keeps one article; on a short page of several parts it may keep too little.
    if (words(sections) < words(whole) * 0.4) sections = whole;
  }
  const title = clean(article?.title ?? '') || pageTitle;
  return { title, sections: dropTitleHeading(sections, title), links };
}

/** The page's own title repeated as its first heading adds nothing to a passage that carries the title. */
function dropTitleHeading(sections: Section[], title: string): Section[] {
  return sections.map((s) => (s.headings[0] && title.startsWith(s.headings[0]) ? { ...s, headings: s.headings.slice(1) } : s));
}
