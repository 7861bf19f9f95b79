import { z } from 'zod';
import { detectLanguage } from '../../activities/language/policy.js';
import type { ApiDeps } from '../deps.js';
import type { RouteRegistry } from '../route-registry.js';

export const detectLanguageBody = z
  .object({
    text: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
    previous: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 639-1 code such as "ro"')
      .transform((code) => code.toLowerCase())
      .optional(),
  })
  .strict();

const detection = z.object({
  language: z.string().describe('ISO 639-1 code, or the detector\'s own code where 639-1 has none (Comprehend\'s "ceb")'),
  confidence: z.number(),
  detector: z.string(),
});

/**
 * The same decision a conversation makes for a customer message, `previous` playing the
 * conversation's current language.
 */
export function languageRoutes(routes: RouteRegistry, deps: Pick<ApiDeps, 'detector'>): void {
  routes.add(
    {
      method: 'post',
      path: '/api/language/detect',
      tag: 'language',
      summary: "Detect a message's language as a conversation would: 60 languages locally, any Comprehend names when it is configured",
      body: detectLanguageBody,
      responses: { 200: { description: 'The detected language', schema: detection } },
    },
    async ({ body }) => {
      const result = await detectLanguage(deps.detector, body.text, { previous: body.previous ?? null });
      return { body: { language: result.language, confidence: result.confidence, detector: result.detector } };
    },
  );
}
