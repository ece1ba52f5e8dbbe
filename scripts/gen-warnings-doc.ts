// Regenerates docs/WARNINGS.md from src/plan/warnings.ts: `node --import tsx scripts/gen-warnings-doc.ts`.
import { writeFileSync } from 'node:fs';
import { PLAN_WARNINGS } from '../src/plan/warnings.js';
import { INPUT_WARNINGS } from '../src/timeline/input-warnings.js';
import { TRANSCRIPT_EDIT_WARNINGS } from '../src/engines/transcript-edit/warnings.js';

const rows = Object.entries(PLAN_WARNINGS as Record<string, string>).map(
  ([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, '\\|')} |`,
);
const inputRows = Object.entries(INPUT_WARNINGS as Record<string, string>).map(
  ([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, '\\|')} |`,
);
const editRows = Object.entries(TRANSCRIPT_EDIT_WARNINGS as Record<string, string>).map(
  ([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, '\\|')} |`,
);
const doc = `# Plan warning codes

A warning means the plan renders, but not exactly as written. \`compile()\` (and so
\`POST /video/render/dry-run\` and every render job) returns them as data,
\`{"code", "message", "path"}\`, where \`path\` is the full path in the timeline, e.g.
\`tracks[1].clips[3].filters[0].params.amount\`. Match on the code, never on the message.

| code | meaning |
| --- | --- |
${rows.join('\n')}

This file is generated from \`src/plan/warnings.ts\` by \`node --import tsx scripts/gen-warnings-doc.ts\`; a test
fails when a code the planner emits is missing there or here.

## Input warnings (timeline parsing, interchange)

Parsing a timeline (\`POST /video/timeline/validate\`, every route that takes one) and importing or exporting an
interchange file return these the same way. Generated from \`src/timeline/input-warnings.ts\`.

| code | meaning |
| --- | --- |
${inputRows.join('\n')}

## Edit by transcript and silence removal

\`POST /video/assist/transcript-edit\`, \`POST /video/assist/remove-silences\` (and \`cutroom cut-words\`,
\`cutroom trim-silence\`) return these in \`warnings\` beside the new timeline; \`path\` is in the request body.
Generated from \`src/engines/transcript-edit/warnings.ts\`.

| code | meaning |
| --- | --- |
${editRows.join('\n')}
`;
writeFileSync('docs/WARNINGS.md', doc);
