export { finishEdit } from './finish-edit.js';
export { DERIVED_TRANSCRIPT_BACKEND, loadEditTranscript } from './load-transcript.js';
export { LEVEL_STEP_MS, measureLevels } from './measure-levels.js';
export { transcriptEditRoutes } from './routes.js';
export {
  EditResponseSchema,
  RemoveSilencesBodySchema,
  TranscriptEditBodySchema,
  type RemoveSilencesBody,
  type TranscriptEditBody,
} from './schemas.js';
export { DEFAULT_EDIT_FPS, removeSilences, transcriptEdit, type EditResult } from './service.js';
