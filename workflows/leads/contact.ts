import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/** The first e-mail address in the text, lower-cased. */
export function extractEmail(text: string): string | null {
  const match = EMAIL.exec(text);
  return match ? match[0].toLowerCase() : null;
}

/**
 * The first valid phone number in the text, in E.164. Local numbers ("0721 234 567") are read
 * in `defaultCountry`. libphonenumber's metadata is plain data, so this is deterministic and
 * safe in workflow code.
 */
export function extractPhone(text: string, defaultCountry: CountryCode = 'RO'): string | null {
  // Digits with the separators people type between them: "0721 234 567", "+40 (721) 234-567".
  // Global, so this call's own: its lastIndex is state.
  const phoneCandidate = /(?:\+|\b00)?\d[\d\s().\/-]{6,18}\d/g;
  for (const match of text.matchAll(phoneCandidate)) {
    const candidate = match[0].trim();
    const parsed = parsePhoneNumberFromString(candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate, defaultCountry);
    if (parsed?.isValid()) return parsed.number;
  }
  return null;
}
