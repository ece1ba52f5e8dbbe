/**
 * Warning codes of the input side, as data (for docs/WARNINGS.md): what parsing a timeline (strict keys) and
 * importing or exporting an interchange file may return, `{code, message, path}`, beside the planner's
 * PLAN_WARNINGS. A warning means the input was accepted, but not exactly as written.
 */
export const INPUT_WARNINGS = {
  DEPRECATED_FIELD:
    'A field was given by its old name; it is read as the new name (the message names both). The old name will be removed.',
  INTERCHANGE_UNMAPPED:
    'Import/export: a feature of the file (or of the timeline) has no equivalent on the other side; it is left out (the message says what).',
  INTERCHANGE_METADATA_ONLY:
    'Export: something the target format cannot hold (OTIO caption tracks, overlapping text items) is kept in cutroom metadata only; other tools will not show it.',
  INTERCHANGE_DURATION_DEFAULTED:
    'Export: a clip has no known length (no out_ms, duration_ms or media duration); a default length is written.',
  INTERCHANGE_CUE_OVERLAP:
    'Subtitle import: a cue starts before the previous one ends; both are shown where they overlap.',
  INTERCHANGE_ASSET_MISSING:
    'Export: a clip names an asset that no longer exists; it is written as a cutroom:asset/{id} reference.',
} as const;

export type InputWarningCode = keyof typeof INPUT_WARNINGS;
