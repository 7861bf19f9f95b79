import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A PDF with one line of text per entry, made with pdf-lib: what a business exports from its word processor. */
export async function textPdf(title: string, lines: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  const page = pdf.addPage();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 760 - i * 18, size: 12, font }));
  return Buffer.from(await pdf.save());
}

/** A Word document (DOCX): a heading, then one paragraph per entry, as the Office Open XML parts a word processor writes. */
export async function textDocx(heading: string, paragraphs: string[]): Promise<Buffer> {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraph = (text: string, style?: string) =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:p>`;
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraph(heading, 'Heading1')}${paragraphs.map((p) => paragraph(p)).join('')}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** A PDF of pages with no text on them: what a scanner makes (here without even the picture). */
export async function scannedPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawRectangle({ x: 40, y: 40, width: 500, height: 700, borderWidth: 2 });
  return Buffer.from(await pdf.save());
}

export interface TestSite {
  origin: string;
  /** Every path requested, in order. */
  requests: string[];
  /** Pages served as they are now: change one, and the next sync sees it. */
  pages: Map<string, { type: string; body: string | Buffer }>;
  /** How long each answer takes. */
  latencyMs: number;
  stop(): Promise<void>;
}

export function page(title: string, body: string, otherOrigin: string): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body>
<header><nav><a href="/">Home</a> <a href="/delivery">Delivery</a> <a href="/hours">Opening hours</a> <a href="/old-hours">Hours (old link)</a>
<a href="/private/prices">Partner prices</a> <a href="/guide.pdf">Warranty guide</a> <a href="/missing">Careers</a> <a href="/brochure">Brochure</a>
<a href="${otherOrigin}/elsewhere">Our partner</a></nav></header>
<div class="cookie-banner">We use cookies to improve the site. <button>Accept all cookies</button></div>
<main>${body}</main>
<footer>© 2026 Green Leaf Garden Centre · 12 Orchard Road, Cluj · <a href="/">Home</a></footer>
</body></html>`;
}

/**
 * A small website on loopback for crawl tests: navigation on every page, a robots.txt that
 * forbids /private, a sitemap naming a page no link reaches, a PDF, a link to another origin, a
 * redirect, a 404, a page served as an image, ETags (304 to a matching If-None-Match).
 */
export async function startTestSite(otherOrigin: string): Promise<TestSite> {
  const requests: string[] = [];
  const pages = new Map<string, { type: string; body: string | Buffer }>();
  const html = (title: string, body: string) => ({ type: 'text/html; charset=utf-8', body: page(title, body, otherOrigin) });
  pages.set('/', html('Green Leaf Garden Centre', '<h1>Welcome to Green Leaf</h1><p>We sell plants, seeds, pots and garden tools, and we give gardening advice.</p>'));
  pages.set('/delivery', html('Delivery', '<h1>Delivery</h1><p>We deliver plants anywhere in Romania within 2 working days.</p><h2>Delivery costs</h2><p>Delivery costs 25 lei. Orders over 300 lei are delivered for free.</p>'));
  pages.set('/hours', html('Opening hours', '<h1>Opening hours</h1><p>The garden centre is open Monday to Saturday from 8:00 to 19:00. On Sunday we are closed.</p>'));
  pages.set('/orphan', html('Plant care workshops', '<h1>Plant care workshops</h1><p>Every second Saturday we hold a free workshop on repotting orchids and succulents. Places are limited to twelve people.</p>'));
  pages.set('/private/prices', html('Partner prices', '<p>Secret wholesale prices for partners.</p>'));
  pages.set('/brochure', { type: 'image/jpeg', body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) });
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://site.test');
    requests.push(url.pathname);
    if (site.latencyMs) await new Promise((r) => setTimeout(r, site.latencyMs));
    const origin = `http://${request.headers.host}`;
    if (url.pathname === '/robots.txt') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nDisallow: /private\n\nSitemap: ${origin}/sitemap.xml\n`);
      return;
    }
    if (url.pathname === '/sitemap.xml') {
      const locs = ['/', '/delivery', '/orphan'].filter((p) => pages.has(p)).map((p) => `<url><loc>${origin}${p}</loc></url>`).join('');
      response.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs}</urlset>`);
      return;
    }
    if (url.pathname === '/old-hours') {
      response.writeHead(301, { location: '/hours' }).end();
      return;
    }
    const found = pages.get(url.pathname);
    if (!found) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    const etag = `"${createHash('sha256').update(found.body).digest('hex').slice(0, 16)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, { 'content-type': found.type, etag }).end(found.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const site: TestSite = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    pages,
    latencyMs: 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return site;
}

/** Another site: the crawl must never request anything from it. */
export async function startOtherSite(): Promise<{ origin: string; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '/');
    response.writeHead(200, { 'content-type': 'text/html' }).end('<p>Another site</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, requests, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
