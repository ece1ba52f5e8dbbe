/**
 * POST /video/captions/generate behind the HTTP layer: speech of one asset as an `asr_transcript` artifact
 * (JSON `{language, segments:[{start_ms,end_ms,text,words:[…]}]}`), cached on the asset's content hash +
 * language + script hash + backend version. With a script (`text`) the words are force-aligned to the audio
 * (`aligned: true`); without, they are recognised. Warnings are stored in meta so a cached result repeats them.
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import { cutroomError, isCutroomError, type Warning } from '../../errors.js';
import { readPcm } from '../../ffmpeg/index.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import {
  parseTranscript,
  transcriptWords,
  type Transcript,
  type TranscriptSegment,
} from '../../plan/captions/transcript.js';
import { findFillers } from '../../plan/transcript-edit/filler-words.js';
import { SAMPLE_RATE, type SelectedAsrBackend } from './backend.js';
import { segmentWords } from './segment-words.js';
import { CAPTIONS_STUB_BACKEND, selectAsrBackend } from './select-backend.js';

export interface GenerateCaptionsInput {
  asset_id: string;
  /** BCP-47; default en-US. */
  language?: string;
  /** The script, when known: its words are aligned to the audio instead of recognised. */
  text?: string;
}

export interface GenerateCaptionsOptions {
  /** Injected by tests; default selectAsrBackend(). */
  backend?: SelectedAsrBackend;
  signal?: AbortSignal;
}

export interface GenerateCaptionsResult {
  artifact: Artifact;
  cached: boolean;
  warnings: Warning[];
}

export const CAPTIONS_ALIGNMENT_FAILED = 'CAPTIONS_ALIGNMENT_FAILED';
export const CAPTIONS_LANGUAGE_UNSUPPORTED = 'CAPTIONS_LANGUAGE_UNSUPPORTED';
export const MAX_SCRIPT_CHARS = 200_000;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function validate(input: GenerateCaptionsInput): { language: string; text: string | undefined } {
  const issues: Array<{ path: string; message: string }> = [];
  const language = input.language ?? 'en-US';
  if (language !== 'auto' && !LANGUAGE.test(language))
    issues.push({ path: 'language', message: "must be a BCP-47 tag such as en-US, or 'auto'" });
  const text = input.text === undefined ? undefined : input.text.trim();
  if (text !== undefined && text.length > MAX_SCRIPT_CHARS)
    issues.push({ path: 'text', message: `must be at most ${MAX_SCRIPT_CHARS} characters` });
  if (issues.length > 0)
    throw cutroomError('VALIDATION_FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
      issues,
    });
  return { language, text: text === '' ? undefined : text };
}

export async function generateCaptions(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: GenerateCaptionsInput,
  opts: GenerateCaptionsOptions = {},
): Promise<GenerateCaptionsResult> {
  const { language, text } = validate(input);
  const selected = opts.backend ?? (await selectAsrBackend());
  const { backend } = selected;
  const asset = await services.assets.getAsset(ctx, input.asset_id);
  if (!asset.media_info.audio)
    throw cutroomError('VALIDATION_FAILED', `asset ${asset.id} has no audio stream to caption`, {
      issues: [{ path: 'asset_id', message: 'the asset has no audio' }],
    });
  const params = {
    language,
    script_sha256: text === undefined ? null : createHash('sha256').update(text).digest('hex'),
  };
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: asset.id,
    kind: 'asr_transcript',
    params,
    backendVersion: backend.version,
    produce: async ({ cacheKey }) => {
      const started = performance.now();
      const warnings: Warning[] = [];
      // 'auto': a backend that detects languages (languages = [] — whisper's multilingual models) is asked to;
      // one that knows a fixed set decodes its first language, and says so.
      const fixed = language === 'auto' && backend.languages.length > 0;
      const decodeAs = fixed ? backend.languages[0]! : language;
      if (fixed)
        warnings.push({
          code: CAPTIONS_LANGUAGE_UNSUPPORTED,
          message: `the ${backend.name} model cannot detect the language: it knows only ${backend.languages.join(', ')}, so 'auto' was decoded as ${decodeAs}`,
          path: 'language',
        });
      else if (
        language !== 'auto' &&
        backend.languages.length > 0 &&
        !backend.languages.includes(language.split('-')[0]!.toLowerCase())
      )
        warnings.push({
          code: CAPTIONS_LANGUAGE_UNSUPPORTED,
          message: `the ${backend.name} model knows ${backend.languages.join(', ')}, not ${language}; expect poor results`,
          path: 'language',
        });
      const path = await services.assets.assetPath(ctx, asset.id);
      const pcm16k = await readPcm({
        path,
        sampleRate: SAMPLE_RATE,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const signal = opts.signal ? { signal: opts.signal } : {};
      let segments: TranscriptSegment[] | null = null;
      let aligned = false;
      if (text !== undefined && backend.align) {
        try {
          segments = segmentWords({
            words: await backend.align({ pcm16k, text, language: decodeAs, ...signal }),
          });
          aligned = true;
        } catch (err) {
          if (!isCutroomError(err, 'CAPTIONS_ASR_FAILED')) throw err;
          warnings.push({
            code: CAPTIONS_ALIGNMENT_FAILED,
            message: `the script could not be aligned to the audio (${err.message}); the words were recognised instead`,
            path: 'text',
          });
        }
      } else if (text !== undefined) {
        warnings.push({
          code: CAPTIONS_ALIGNMENT_FAILED,
          message: `the ${backend.name} backend cannot align a script; the words were recognised instead`,
          path: 'text',
        });
      }
      let detected: string | undefined;
      if (segments === null) {
        const r = await backend.transcribe({ pcm16k, language: decodeAs, ...signal });
        segments = r.segments;
        detected = r.language;
      }
      // The transcript names the language it is in: the detected one for 'auto' (when the backend reports it).
      const resolved = language === 'auto' ? (detected ?? (fixed ? decodeAs : 'auto')) : language;
      const transcript: Transcript = { language: resolved, segments };
      return {
        meta: {
          backend_version: backend.version,
          model_used: backend.model,
          cache_key: cacheKey,
          duration_ms: Math.round(performance.now() - started),
          language: resolved,
          ...(language === 'auto' ? { language_requested: 'auto' } : {}),
          aligned,
          audio_duration_ms: Math.round((pcm16k.length / SAMPLE_RATE) * 1000),
          segment_count: segments.length,
          word_count: segments.reduce((n, s) => n + s.words.length, 0),
          // Filler words (um, uh, erm, recogniser filler tokens) by word index, for transcript edits.
          fillers: findFillers({ words: transcriptWords(transcript) }),
          warnings,
          ...(backend.stub ? { stub: true } : {}),
        },
        content: Buffer.from(JSON.stringify(transcript)),
        name: 'captions/{artifact_id}.json',
      };
    },
  });
  const warnings: Warning[] = [...selected.warnings.filter((w) => w.code !== CAPTIONS_STUB_BACKEND)];
  const stored = artifact.meta.warnings;
  if (Array.isArray(stored)) warnings.push(...(stored as Warning[]));
  if (artifact.meta.stub === true)
    warnings.push(
      selected.warnings.find((w) => w.code === CAPTIONS_STUB_BACKEND) ?? {
        code: CAPTIONS_STUB_BACKEND,
        message: 'this transcript was made by the stub backend: placeholders, not recognised speech',
      },
    );
  return { artifact, cached, warnings };
}

/** The transcript of an asr_transcript artifact of ctx's tenant (ARTIFACT_NOT_FOUND for any other artifact). */
export async function readTranscript(
  services: Pick<Services, 'artifacts'>,
  ctx: RequestContext,
  artifactId: string,
): Promise<{ artifact: Artifact; transcript: Transcript }> {
  const artifact = await services.artifacts.getArtifact(ctx, artifactId);
  if (artifact.kind !== 'asr_transcript')
    throw cutroomError('ARTIFACT_NOT_FOUND', `artifact ${artifactId} is not an asr_transcript`, {
      artifact_id: artifactId,
      kind: artifact.kind,
    });
  const { stream } = await services.artifacts.artifactContent(ctx, artifactId);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { artifact, transcript: parseTranscript(JSON.parse(Buffer.concat(chunks).toString('utf8'))) };
}
