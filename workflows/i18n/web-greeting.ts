/**
 * What the web widget says when its panel opens, before the visitor writes. Pure: the API resolves
 * it for the page's language and serves it with the widget's public description, so the widget
 * script carries no texts of its own.
 */
import type { KnowledgeEntry, WidgetGreeting } from '../widgets/knowledge.js';
import { webGreetings } from './catalogue-web.js';

export interface GreetingWidget {
  name: string;
  assistant_name: string;
  default_language: string;
  knowledge_base: KnowledgeEntry[];
  greeting?: WidgetGreeting | null | undefined;
}

export interface ResolvedGreeting {
  /** ISO 639-1 code of the language the text is in. */
  language: string;
  text: string;
}

/** The primary language of a BCP 47 tag (`<html lang="pt-BR">` → "pt"); null for none or a malformed one. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const match = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$/.exec((tag ?? '').trim());
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * The languages a widget speaks: its default one and every language its knowledge base or its
 * greeting is translated into. In any other language its answers would come in the default one,
 * so that is the language to greet in.
 */
export function widgetLanguages(widget: GreetingWidget): Set<string> {
  const languages = new Set([widget.default_language, ...Object.keys(widget.greeting?.translations ?? {})]);
  for (const entry of widget.knowledge_base) for (const language of Object.keys(entry.translations ?? {})) languages.add(language);
  return languages;
}

function ownGreeting(widget: GreetingWidget, language: string): string | undefined {
  if (!widget.greeting) return undefined;
  return language === widget.default_language ? widget.greeting.text : widget.greeting.translations?.[language];
}

/**
 * In the page's language when the widget speaks it, else in its default language: the widget's
 * own greeting in that language when it has one, else the catalogue's (with the assistant's and
 * the business's names); English when the catalogue lacks both languages.
 */
export function webGreeting(widget: GreetingWidget, pageLanguage: string | null | undefined): ResolvedGreeting {
  const page = primaryLanguage(pageLanguage);
  const candidates = page && page !== widget.default_language && widgetLanguages(widget).has(page) ? [page, widget.default_language] : [widget.default_language];
  for (const language of candidates) {
    const own = ownGreeting(widget, language);
    if (own) return { language, text: own };
    if (Object.hasOwn(webGreetings, language)) return { language, text: fill(webGreetings[language]!, widget) };
  }
  return { language: 'en', text: fill(webGreetings.en!, widget) };
}

function fill(template: string, widget: GreetingWidget): string {
  return template.replace('{assistant}', () => widget.assistant_name).replace('{business}', () => widget.name);
}
