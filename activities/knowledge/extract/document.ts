import type { ExtractedDocument, Section } from './html.js';

/** A document nothing can be read from, with the reason a person is shown. */
export class UnreadableDocument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableDocument';
  }
}

export type DocumentKind = 'html' | 'pdf' | 'docx' | 'markdown' | 'text';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * What a document is, from its declared type, its name and its first bytes (a declared type is
 * often missing or generic); null for a kind nothing here reads (an image, an archive).
 */
export function documentKind(contentType: string | null, name: string | null, bytes: Buffer): DocumentKind | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  // A DOCX is a ZIP: PK\x03\x04, told apart from other ZIPs by its type or name.
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return type === DOCX_TYPE || extension === 'docx' ? 'docx' : null;
  if (type === 'text/html' || type === 'application/xhtml+xml' || extension === 'html' || extension === 'htm') return 'html';
  if (type === 'text/markdown' || type === 'text/x-markdown' || extension === 'md' || extension === 'markdown') return 'markdown';
  if (type === 'text/plain' || extension === 'txt') return looksLikeHtml(bytes) ? 'html' : 'text';
  if (type === 'application/pdf' || extension === 'pdf') return 'pdf';
  if ((!type || type === 'application/octet-stream') && isText(bytes)) return looksLikeHtml(bytes) ? 'html' : 'text';
  return null;
}

function looksLikeHtml(bytes: Buffer): boolean {
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(bytes.subarray(0, 512).toString('utf8'));
}

/** UTF-8 without NUL bytes in its first kilobytes: text, not a binary format. */
function isText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  return !head.includes(0) && !head.toString('utf8').includes('\uFFFD');
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

async function extractPdf(bytes: Buffer): Promise<{ title: string; sections: Section[] }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let pdf;
  try {
    pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  } catch (error) {
    throw new UnreadableDocument(`this PDF cannot be opened (${(error as Error).message})`);
  }
  try {
    const info = (await pdf.getMetadata().catch(() => null))?.info as { Title?: string } | undefined;
    const sections: Section[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      // A line that ends a sentence, or a blank line, ends a paragraph; other line breaks wrap one.
      const paragraphs = paragraphsOf(text.replace(/([.!?:])\s*\n/g, '$1\n\n'));
      if (paragraphs.length) sections.push({ headings: [], paragraphs });
      page.cleanup();
    }
    return { title: info?.Title?.trim() ?? '', sections };
  } finally {
    await pdf.destroy();
  }
}

/**
 * The readable text of a document as sections under their headings, with maintained parsers:
 * Readability for HTML, pdf.js for PDF, mammoth for DOCX, marked for Markdown. Throws
 * UnreadableDocument when there is no text in it (a scanned PDF is pictures of text).
 */
export async function extractDocument(input: { bytes: Buffer; kind: DocumentKind; url?: string; name?: string }): Promise<ExtractedDocument> {
  // Each parser is imported with the first document that needs it (Readability and linkedom alone
  // are about 30 MB of RSS): the API and the worker read documents seldom, and start without them.
  let document: ExtractedDocument;
  switch (input.kind) {
    case 'html': {
      const { extractHtml } = await import('./html.js');
      document = extractHtml(input.bytes.toString('utf8'), input.url);
      break;
    }
    case 'markdown': {
      const [{ extractHtml }, { marked }] = await Promise.all([import('./html.js'), import('marked')]);
      document = { ...extractHtml(`<html><body>${await marked.parse(input.bytes.toString('utf8'))}</body></html>`, input.url), links: [] };
      break;
    }
    case 'docx': {
      const [{ extractHtml }, { default: mammoth }] = await Promise.all([import('./html.js'), import('mammoth')]);
      let html: string;
      try {
        html = (await mammoth.convertToHtml({ buffer: input.bytes })).value;
      } catch (error) {
        throw new UnreadableDocument(`this DOCX cannot be opened (${(error as Error).message})`);
      }
      document = { ...extractHtml(`<html><body>${html}</body></html>`), links: [] };
      break;
    }
    case 'pdf':
      document = { ...(await extractPdf(input.bytes)), links: [] };
      break;
    case 'text':
      document = { title: '', sections: [{ headings: [], paragraphs: paragraphsOf(input.bytes.toString('utf8')) }], links: [] };
      break;
  }
  const text = document.sections.flatMap((s) => s.paragraphs).join(' ');
  if (!/\p{L}{2}/u.test(text)) {
    throw new UnreadableDocument(
      input.kind === 'pdf'
        ? 'no text can be read from this PDF: it is probably scanned (pictures of pages); upload a PDF with selectable text, or the text itself'
        : `no text can be read from this ${input.kind === 'text' ? 'file' : input.kind.toUpperCase()}`,
    );
  }
  if (!document.title) {
    const firstHeading = document.sections.find((s) => s.headings.length)?.headings[0];
    document.title = firstHeading ?? input.name?.replace(/\.[a-z0-9]+$/i, '') ?? '';
  }
  return document;
}
