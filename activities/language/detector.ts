/** ISO 639-1 code, lower case ("ro", "en", ...). */
export type LanguageCode = string;

export interface LanguageDetection {
  language: LanguageCode;
  /** 0..1; how sure the detector is. */
  confidence: number;
  /** Which detector (and policy) decided: "local", "comprehend", "local+context", ... */
  detector: string;
}

/** A raw detector: text in, best guess out. Conversation context is the policy's job. */
export interface LanguageDetector {
  readonly name: string;
  detect(text: string): Promise<LanguageDetection>;
}
