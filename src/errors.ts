/**
 * One registry of coded errors. Every error cutroom raises on purpose is built by `cutroomError()` from an entry
 * here, so the code, the HTTP status and the documentation cannot drift apart (a test checks that every code
 * appears in docs/ERRORS.md). Callers match on `err.code`, never on message text.
 *
 * No node:* imports: the timeline layer (which also runs in a browser) uses these codes.
 */

export interface ErrorSpec {
  /** HTTP status the error maps to. */
  status: number;
  /** One line for docs/ERRORS.md and for default messages. */
  description: string;
  /** Whether a job that failed with this error may be retried automatically. */
  retryable?: boolean;
}

export const ERRORS = {
  // --- input validation -------------------------------------------------------------------------------------
  VALIDATION_FAILED: {
    status: 400,
    description:
      'The request or document failed schema validation; details.issues lists every problem with its path.',
  },
  INVALID_PATH: {
    status: 400,
    description:
      'A file name, path or storage key is unsafe (.., absolute, NUL byte) or outside the allowed root.',
  },
  INVALID_STORAGE_KEY: {
    status: 400,
    description:
      "A storage key is outside the caller's tenant prefix tenants/{tenant}/{env}/media_v2/{asset_id}/.",
  },
  UNKNOWN_TRANSITION: {
    status: 400,
    description: 'A transition type is not in the catalog; details.valid lists the valid types.',
  },
  UNKNOWN_FILTER: {
    status: 400,
    description: 'A filter type is not in the catalog; details.valid lists the valid types.',
  },
  INVALID_PARAM: {
    status: 400,
    description:
      'A filter, transition or profile parameter has the wrong type or is out of range where clamping is not allowed.',
  },
  UNKNOWN_PROFILE: {
    status: 400,
    description: 'A render profile id is not known; details.valid lists the valid ones.',
  },
  FONT_NOT_FOUND: {
    status: 400,
    description: 'A text layer names a font family or font asset that is not available.',
  },
  TIMELINE_INVALID: {
    status: 422,
    description:
      'The timeline is well-formed JSON but inconsistent (overlaps, unknown clip references, impossible times).',
  },

  // --- auth and tenancy --------------------------------------------------------------------------------------
  UNAUTHENTICATED: { status: 401, description: 'No API key, or the key is unknown or revoked.' },
  UNKNOWN_TENANT: { status: 400, description: 'The tenant is missing or does not exist.' },
  ENV_NOT_ALLOWED: { status: 403, description: 'The API key may not act in the env selected by X-Env.' },
  TENANT_MISMATCH: {
    status: 403,
    description: 'The body names a tenant or env other than the one the API key and X-Env select.',
  },

  // --- lookups -----------------------------------------------------------------------------------------------
  ASSET_NOT_FOUND: {
    status: 404,
    description:
      "No asset with this id in the caller's tenant and env (other tenants' ids are reported the same way).",
  },
  ARTIFACT_NOT_FOUND: {
    status: 404,
    description: "No artifact with this id in the caller's tenant and env.",
  },
  PROJECT_NOT_FOUND: {
    status: 404,
    description: "No project (or sequence, track, clip) with this id in the caller's tenant and env.",
  },
  JOB_NOT_FOUND: { status: 404, description: "No job with this id in the caller's tenant and env." },
  KEY_NOT_FOUND: { status: 404, description: 'No API key with this id.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No such HTTP route.' },
  OBJECT_NOT_FOUND: { status: 404, description: 'No object with this key in the object store.' },

  VERSION_CONFLICT: {
    status: 409,
    description:
      'The document was changed since it was read: the version sent is not the current one; details.current_version tells it.',
  },

  // --- media ingest ------------------------------------------------------------------------------------------
  UNSUPPORTED_MEDIA: {
    status: 415,
    description:
      'The upload is not audio, video or an image ffprobe can read, nor a TTF/OTF/TTC font (e.g. a text file named .mp4, or a WOFF font).',
  },
  MEDIA_CORRUPT: {
    status: 422,
    description: 'The file looks like media but cannot be decoded (truncated, broken container).',
  },
  EMPTY_UPLOAD: { status: 422, description: 'The upload or file has zero bytes.' },
  UNSUPPORTED_CONTENT_TYPE: {
    status: 415,
    description:
      'The request Content-Type is not accepted by this route (JSON, or multipart/form-data for uploads).',
  },
  RANGE_NOT_SATISFIABLE: {
    status: 416,
    description: 'The Range header asks for bytes outside the content; Content-Range tells the real size.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description:
      'The upload exceeds the configured size limit; it was rejected while streaming and nothing was stored.',
  },
  ARTIFACT_META_INVALID: {
    status: 422,
    description:
      'Artifact meta lacks a required field (tenant, env, cache_key, backend_version, …) or has a wrong type.',
  },

  // --- jobs --------------------------------------------------------------------------------------------------
  JOB_PARAMS_MISMATCH: {
    status: 409,
    description: 'A client-supplied job id is already used with different parameters.',
  },
  ILLEGAL_JOB_TRANSITION: {
    status: 409,
    description: 'A job state change that the state machine does not allow (e.g. completed → running).',
  },
  QUEUE_FULL: {
    status: 429,
    description: 'Too many queued or running jobs for this tenant; retry after the Retry-After header.',
    retryable: true,
  },
  JOB_OUTPUT_NOT_READY: {
    status: 404,
    description:
      'The job has no output yet (queued, running, failed or cancelled); only a completed render has one.',
  },
  JOB_WORKER_LOST: {
    status: 500,
    description:
      'The worker running the job died (process killed, machine lost); the job was re-queued until it ran out of attempts.',
    retryable: true,
  },

  // --- ffmpeg and rendering ----------------------------------------------------------------------------------
  FFMPEG_NOT_FOUND: {
    status: 500,
    description:
      'ffmpeg/ffprobe is not installed or not on PATH; install it (Debian/Ubuntu: apt-get install -y ffmpeg) or set CUTROOM_FFMPEG / CUTROOM_FFPROBE.',
  },
  PROBE_FAILED: { status: 422, description: 'ffprobe could not read a source file.' },
  DECODE_FAILED: {
    status: 422,
    description:
      'ffmpeg could not decode a source while reading frames or samples for analysis; details carry the stderr tail and exit code.',
  },
  RENDER_FAILED: {
    status: 500,
    description:
      'ffmpeg failed while rendering; details carry stage (probe, plan, encode, mux, store), context and the stderr tail.',
    retryable: true,
  },
  RENDER_CANCELLED: { status: 409, description: 'The render was cancelled by its owner.' },
  SOURCE_MISSING: {
    status: 422,
    description:
      "An asset is registered but its stored file is gone (deleted from the object store); details.stage is 'probe' and details.asset_id names it. Not retried.",
  },
  ENCODER_UNAVAILABLE: {
    status: 400,
    description: 'CUTROOM_ENCODER forces an encoder that failed its test encode on this machine.',
  },
  STORE_FAILED: {
    status: 507,
    description: 'Writing to the object store failed (e.g. disk full); nothing partial was registered.',
    retryable: true,
  },

  // --- captions (ASR) ----------------------------------------------------------------------------------------
  CAPTIONS_MODEL_INVALID: {
    status: 503,
    description:
      'VIDEO_CAPTIONS_MODEL does not point at a usable whisper ggml/GGUF model (missing, unreadable, wrong magic bytes or size); details.variable and details.path say which.',
  },
  CAPTIONS_BACKEND_UNKNOWN: {
    status: 503,
    description:
      'VIDEO_CAPTIONS_BACKEND names no known ASR backend; details.valid lists whisper, pocketsphinx, stub.',
  },
  CAPTIONS_ASR_FAILED: {
    status: 500,
    description:
      'The speech recogniser (pocketsphinx) failed or produced unreadable output; details carry the exit code and log tail.',
    retryable: true,
  },

  // --- interchange (import/export of other editors' files) ------------------------------------------------
  INTERCHANGE_FORMAT_UNKNOWN: {
    status: 400,
    description:
      'The interchange format is not known, or this direction (import/export) does not exist for it; details.valid lists the valid formats.',
  },
  INTERCHANGE_PARSE_FAILED: {
    status: 400,
    description:
      'The interchange file is not well-formed (malformed JSON, JSON5 or XML, a DOCTYPE with entities); details carry line and column.',
  },
  INTERCHANGE_UNSUPPORTED_VERSION: {
    status: 422,
    description:
      'The interchange file declares a schema or format version cutroom does not read (e.g. OTIO Clip.9, FCPXML 1.3); details.path and details.found say which.',
  },
  INTERCHANGE_INVALID: {
    status: 422,
    description:
      'The interchange file is well-formed but cannot become a timeline (times off the frame grid, bad subtitle cue timing, missing required fields); details.issues lists every problem with its path or line.',
  },
  INTERCHANGE_MEDIA_UNMAPPED: {
    status: 422,
    description:
      "The interchange file names media (URL, path, reel) that is not in the caller's asset mapping; details.issues lists every reference with its path. Nothing was imported.",
  },
  INTERCHANGE_TOO_LARGE: {
    status: 413,
    description:
      'The interchange file exceeds a limit (size, number of clips, nesting depth); details.limit tells it.',
  },

  // --- generic -----------------------------------------------------------------------------------------------
  DEPENDENCY_MISSING: {
    status: 503,
    description:
      'A required external dependency (model file, binary, service) is missing and no fallback applies.',
  },
  CLI_USAGE: {
    status: 400,
    description:
      'The cutroom command line is wrong (unknown command or option, missing argument); exit code 2.',
  },
  INTERNAL: {
    status: 500,
    description: 'An unexpected error; the request id in details helps find it in the logs.',
  },
  // --- timeline edit operations (src/timeline/edit) ----------------------------------------------------------
  EDIT_TARGET_NOT_FOUND: {
    status: 404,
    description:
      'An edit operation names a clip, layer, track, transition, marker or keyframe that is not in the document.',
  },
  TRACK_LOCKED: {
    status: 409,
    description: 'The edit would change a locked track; unlock it first (details.track_id says which).',
  },
  EDIT_OVERLAP: {
    status: 409,
    description:
      'The edit would make clips of one track overlap; details.clip_id and details.overlaps name the clips.',
  },
  EDIT_NOT_APPLICABLE: {
    status: 422,
    description:
      'The edit cannot apply here (split point outside the clip, incompatible track kind, clips not butt-joined, length unknown without media info); details.reason says why.',
  },
  MEDIA_STREAM_MISSING: {
    status: 422,
    description:
      'The asset has no stream of the kind asked for: a filmstrip needs a video stream, a waveform an audio stream.',
  },
  TRANSCRIPT_EDIT_INVALID: {
    status: 400,
    description:
      'A transcript edit names words that do not exist (unknown index), overlapping ranges, or edited text with words the transcript does not have; details.issues names each field.',
  },
  EDIT_REMOVES_EVERYTHING: {
    status: 422,
    description: 'A transcript edit or silence removal would leave no frame of the recording.',
  },
  TRANSCRIPT_ASSET_MISMATCH: {
    status: 422,
    description:
      'The asr_transcript given for an edit belongs to another asset (or is itself the derived transcript of an edit); details.path names the field.',
  },
  TRANSCRIPT_STUB_REFUSED: {
    status: 422,
    description:
      'The asr_transcript was made by the stub ASR backend: its words are placeholders without real timings, so it cannot drive an edit.',
  },
  UNKNOWN_MOTION_PRESET: {
    status: 400,
    description:
      "A clip's motion names no preset of GET /video/presets motion_presets; details.valid lists the ids and aliases.",
  },
  OUTPUT_FORMAT_MISMATCH: {
    status: 400,
    description:
      "The output file's extension is not a supported output format, or differs from the requested format; details.valid lists the extensions.",
  },
  TEMPLATE_NOT_FOUND: {
    status: 404,
    description:
      "No template with this id in the caller's tenant and env (other tenants' ids are reported the same way).",
  },
  TEMPLATE_INVALID: {
    status: 422,
    description:
      'A template cannot be stored: a malformed {{placeholder}}, a declared field never used, a field whose type is ambiguous or whose default has the wrong type, or a timeline that is invalid once merged; details.issues names each path and field.',
  },
  TEMPLATE_MERGE_INVALID: {
    status: 400,
    description:
      'Merge values do not fit the template: a missing field (no default), an unknown field, a value of the wrong type, an asset not in the tenant, or a value the merged timeline refuses; details.fields names them, details.issues gives merge.NAME paths.',
  },
  WEBHOOK_URL_INVALID: {
    status: 400,
    description:
      'A callback_url is not an absolute http(s) URL without credentials (at most 2048 characters), or its host does not resolve; details.path names the field.',
  },
  WEBHOOK_ADDRESS_FORBIDDEN: {
    status: 400,
    description:
      'A callback_url resolves to a private, loopback, link-local, multicast or unspecified address that the CUTROOM_WEBHOOK_ALLOW setting does not permit; details.address names it.',
  },
  EDIT_SEQUENCE_INVALID: {
    status: 422,
    description:
      'A sequence given to an edit assist cannot be edited by its words or pauses: no such track or sequence, a transition on the speech track, overlapping clips, a clip that is not a speed-1 range of a recording with audio (speed, reverse, freeze, generator, loop, matte), or a transcripts key naming no clip; details.issues names each field path.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export type ErrorDetails = Record<string, unknown>;

export class CutroomError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CutroomError';
    this.code = code;
    const spec: ErrorSpec = ERRORS[code];
    this.status = spec.status;
    this.details = details;
    this.retryable = spec.retryable ?? false;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** The one factory for coded errors. */
export function cutroomError(
  code: ErrorCode,
  message?: string,
  details?: ErrorDetails,
  options?: { cause?: unknown },
): CutroomError {
  return new CutroomError(code, message ?? ERRORS[code].description, details, options);
}

export function isCutroomError(value: unknown, code?: ErrorCode): value is CutroomError {
  return value instanceof CutroomError && (code === undefined || value.code === code);
}

/** A warning is data, never console output: `{code, message, path}`. */
export interface Warning {
  code: string;
  message: string;
  path?: string;
}
