import { Router } from '@koa/router';
import { z } from 'zod';
import type { LanguageDetector } from '../../activities/language/detector.js';
import { detectLanguage } from '../../activities/language/policy.js';

export const detectLanguageBody = z.object({
  text: z.string().min(1).max(4096),
  previous: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'previous must be an ISO 639-1 code such as "ro"')
    .transform((code) => code.toLowerCase())
    .optional(),
});

/**
 * `POST /api/language/detect {text, previous?}` -> `{language, confidence, detector}`: the same
 * decision a conversation makes for a customer message, `previous` playing the conversation's
 * current language. Bad input throws a ZodError for the app's error middleware to answer 400.
 */
export function languageRoutes(deps: { detector: LanguageDetector }): Router {
  const router = new Router();
  router.post('/api/language/detect', async (ctx) => {
    const body = detectLanguageBody.parse((ctx.request as { body?: unknown }).body);
    const detection = await detectLanguage(deps.detector, body.text, { previous: body.previous ?? null });
    ctx.body = { language: detection.language, confidence: detection.confidence, detector: detection.detector };
  });
  return router;
}
