import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { findMedia, setTranscript } from '../../db/queries/media.js';
import type { Database } from '../../db/schema.js';
import type { MediaLibrary } from '../../media/library.js';
import { classifyAiError } from '../ai/errors.js';
import { transcriptionLatency, transcriptions, type Transcriber } from './transcriber.js';

export interface TranscribeInput {
  conversationId: string;
  widgetId: string;
  mediaId: string;
}

export interface MediaActivityDeps {
  db: Kysely<Database>;
  library: MediaLibrary;
  /** Absent: TRANSCRIPTION_PROVIDER=none. */
  transcriber?: Transcriber | undefined;
  log?: (line: string) => void;
}

const extensions: Record<string, string> = { 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/amr': 'amr' };

/** The conversation's work on media that is not the database's: hearing voice notes. */
export function createMediaActivities(deps: MediaActivityDeps) {
  const log = deps.log ?? ((line: string) => console.error(line));
  return {
    /**
     * A voice note's words, stored with the file (a retry, or the same note again, asks once). A
     * timeout, 429 or 5xx fails retryably (the workflow's bounded retries); a refusal that can
     * never succeed (a wrong key or model) answers null at once.
     */
    async transcribeVoiceNote(input: TranscribeInput): Promise<{ transcript: string | null }> {
      const row = await findMedia(deps.db, input.mediaId);
      if (!row || row.status !== 'ready') return { transcript: null };
      if (row.transcript !== null) return { transcript: row.transcript || null };
      if (!deps.transcriber) return { transcript: null };
      const audio = await deps.library.readAll(row);
      const mime = row.mime_type.split(';')[0]!;
      const stop = transcriptionLatency.startTimer();
      try {
        const words = await deps.transcriber.transcribe(audio, mime, row.filename ?? `voice-note.${extensions[mime] ?? 'ogg'}`);
        stop();
        transcriptions.inc({ outcome: 'transcribed' });
        await setTranscript(deps.db, row.id, words);
        return { transcript: words || null };
      } catch (error) {
        stop();
        const failure = classifyAiError(error);
        if (failure.kind === 'transient') {
          transcriptions.inc({ outcome: 'retrying' });
          log(`transcription: voice note ${row.id} failed (${failure.reason}: ${failure.cause}); trying again`);
          throw ApplicationFailure.retryable(`transcriber unavailable: ${failure.reason}`, 'TranscriberUnavailable');
        }
        transcriptions.inc({ outcome: 'failed' });
        log(`transcription: voice note ${row.id} refused for good (${failure.reason}: ${failure.cause}); the customer is asked to write`);
        return { transcript: null };
      }
    },
  };
}

export type MediaActivities = ReturnType<typeof createMediaActivities>;
